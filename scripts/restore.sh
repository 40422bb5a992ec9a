#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and media folder.
#   DATABASE_URL=postgres://user:pw@host:5432/newdb MEDIA_ROOT=/var/lib/tiepxuc/media \
#     scripts/restore.sh /backups/tiepxuc-20261128-020000
set -euo pipefail
folder="${1:?give the backup folder}"
: "${DATABASE_URL:?set DATABASE_URL to the empty PostgreSQL database to restore into}"
media="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/var/media}"
(cd "$folder" && sha256sum --check --quiet SHA256SUMS)
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname "$DATABASE_URL" "$folder/database.dump"
mkdir -p "$media"
tar -xzf "$folder/media.tar.gz" -C "$media"
echo "restored $folder"
