#!/usr/bin/env python3
"""Checks the relative links of README.md and docs/*.md: every linked file exists and every
#anchor names a heading of its file (GitHub's heading anchors). External links are not checked.

Usage: tools/check-doc-links.py [FILE.md ...]   (default: README.md and docs/*.md)
Exit 0 when every link resolves, 1 with one line per broken link otherwise.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
LINK = re.compile(r'(?<!!)\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)\)')
HEADING = re.compile(r'^(#{1,6})\s+(.*?)\s*#*\s*$')


def lines_outside_code(text):
    """Yields (line number, line) outside fenced code blocks, with inline code spans blanked."""
    fenced = False
    for number, line in enumerate(text.split('\n'), 1):
        if line.lstrip().startswith('```'):
            fenced = not fenced
            continue
        if not fenced:
            yield number, re.sub(r'`[^`]*`', lambda m: ' ' * len(m.group(0)), line)


def slug(heading):
    """GitHub's anchor for a heading: link text only, lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', heading).lower()
    text = re.sub(r'[^\w\- ]', '', text)
    return text.replace(' ', '-')


def anchors(path):
    seen = {}
    result = set()
    fenced = False
    for line in path.read_text(encoding='utf-8').split('\n'):
        if line.lstrip().startswith('```'):
            fenced = not fenced
            continue
        match = None if fenced else HEADING.match(line)
        if match:
            base = slug(match.group(2))
            count = seen.get(base, 0)
            seen[base] = count + 1
            result.add(base if count == 0 else f'{base}-{count}')
    return result


def check(path):
    problems = []
    for number, line in lines_outside_code(path.read_text(encoding='utf-8')):
        for target in LINK.findall(line):
            if re.match(r'^[a-z][a-z0-9+.-]*:', target):
                continue
            file_part, _, anchor = target.partition('#')
            linked = (path.parent / file_part).resolve() if file_part else path
            where = f'{path.relative_to(ROOT)}:{number}: {target}'
            if not linked.exists():
                problems.append(f'{where}: no such file')
            elif anchor and linked.suffix == '.md' and anchor not in anchors(linked):
                problems.append(f'{where}: no heading with this anchor in {linked.relative_to(ROOT)}')
    return problems


def main(argv):
    files = [pathlib.Path(a).resolve() for a in argv] or [ROOT / 'README.md', *sorted((ROOT / 'docs').glob('*.md'))]
    problems = [p for f in files for p in check(f)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
