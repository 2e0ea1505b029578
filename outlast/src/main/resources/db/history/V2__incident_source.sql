-- Who generated an incident's failures (edge or origin) and the vendor configured in front of its subject.
ALTER TABLE incidents ADD COLUMN generated_by VARCHAR(16);
ALTER TABLE incidents ADD COLUMN subject_vendor VARCHAR(64);
