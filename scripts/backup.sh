#!/usr/bin/env bash
# Back up the database and the uploaded files into one dated folder.
#   DATABASE_URL=postgres://user:pw@host:5432/db MEDIA_ROOT=/var/lib/tiepxuc/media \
#     scripts/backup.sh /backups
# Makes /backups/tiepxuc-YYYYmmdd-HHMMSS/{database.dump,media.tar.gz,SHA256SUMS}.
set -euo pipefail
target_root="${1:?give the folder that receives backups}"
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
media="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/var/media}"
folder="$target_root/tiepxuc-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$folder"
# Custom format: compressed, restorable table by table, and consistent (one transaction).
pg_dump --format=custom --no-owner --no-privileges --file "$folder/database.dump" "$DATABASE_URL"
if [ -d "$media" ]; then
  tar -czf "$folder/media.tar.gz" -C "$media" .
else
  tar -czf "$folder/media.tar.gz" --files-from /dev/null
fi
(cd "$folder" && sha256sum database.dump media.tar.gz > SHA256SUMS)
echo "$folder"
