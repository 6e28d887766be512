-- Fleet schema version 2: TLSRPT counts of every node and the daily report claims.
-- (Written by the TLSRPT fleet work: FLEET-COUNT-*, FLEET-RPT-*.)
SELECT 1;
