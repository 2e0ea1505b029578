/**
 * The HTTP surfaces for people: the admin API ({@code /api/v1/...}: upstreams, incidents,
 * monitors, sites, and the writes behind the admin token), the status page ({@code /status}) and
 * its live parts ({@code /status/events}, server-sent events). {@link dev.outlast.admin.Admin}
 * builds them all and adds their routes; what they read from monitoring comes through
 * {@link dev.outlast.admin.MonitoringView}.
 *
 * <p>Adding an API: a class with a {@code routes(ServerBuilder)} method, its reads handed to its
 * constructor, {@link dev.outlast.admin.Endpoints} for the method check and the token, and
 * {@link dev.outlast.admin.Responses} for the JSON; {@code Admin} builds it and calls its
 * {@code routes}. Adding a status-page section: a stateless class with a {@code STYLE} constant
 * and a {@code render} method that escapes everything ({@link dev.outlast.admin.Html}), appended
 * to the page's style and placed in {@link dev.outlast.admin.StatusPage}'s monitor part (as
 * {@link dev.outlast.admin.SitesSection} is), so the live updates carry it too.
 */
package dev.outlast.admin;
