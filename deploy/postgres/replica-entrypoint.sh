#!/bin/sh
# The streaming replica: on its first start, a base backup of the primary (-R writes the standby
# settings); afterwards PostgreSQL resumes streaming from where it stopped.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    until PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h postgres -U replicator \
        -D "$PGDATA" -R -X stream; do
        echo "waiting for the primary…"
        sleep 2
    done
    chmod 0700 "$PGDATA"
fi
exec postgres -c hot_standby=on
