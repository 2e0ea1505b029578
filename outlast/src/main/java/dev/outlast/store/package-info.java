/**
 * The history store: incidents with their timelines and per-minute subject results, in an SQLite
 * file by default or in PostgreSQL, over plain JDBC with Flyway migrations
 * ({@code src/main/resources/db/history}).
 */
package dev.outlast.store;
