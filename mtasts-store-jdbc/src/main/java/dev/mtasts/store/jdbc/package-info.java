/**
 * The PostgreSQL fleet store: {@link dev.mtasts.store.jdbc.FleetDatabase} (the shared connection,
 * schema and node identity), {@link dev.mtasts.store.jdbc.JdbcPolicyStore} (policies, shared fetches
 * and back-off), {@link dev.mtasts.store.jdbc.FleetRecorder} (TLSRPT counts) and {@link
 * dev.mtasts.store.jdbc.FleetReports} (one report per domain and day).
 */
@NullMarked
package dev.mtasts.store.jdbc;

import org.jspecify.annotations.NullMarked;
