#!/usr/bin/env bash
# Repères — back up the database and the files (public media + private certificates).
#
#   DATABASE_URL=postgres://… MEDIA_ROOT=… PRIVATE_MEDIA_ROOT=… scripts/backup.sh [DEST_DIR]
#
# Writes DEST_DIR/reperes-<UTC timestamp>/ with:
#   database.dump      pg_dump custom format (PostgreSQL) — or database.sqlite3 (SQLite)
#   media.tar.gz       MEDIA_ROOT (images, documents, guide PDFs)
#   private.tar.gz     PRIVATE_MEDIA_ROOT (certificate PDFs, émargement signatures)
#   SHA256SUMS         checksums of the three files, checked by restore.sh
# and prints the folder's path on its last line. The database dump is consistent on
# its own (one transaction); files written during the backup may be newer than it,
# never older, which restore.sh + `verify_certificates` tolerate (extra files only).
# With media on S3-compatible storage, back the buckets up with the provider's
# versioning/replication instead and leave MEDIA_ROOT/PRIVATE_MEDIA_ROOT unset.
# See docs/deployment.md (« Sauvegarde et restauration »).
set -euo pipefail

# shellcheck source=scripts/instance.sh
source "$(dirname "$0")/instance.sh"
dest="${1:-${BACKUP_DIR:-$var_dir/backups}}"

target="$dest/reperes-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$target"
chmod 700 "$target"  # personal data: readable by the service account only
umask 077

case "$database" in
  postgres)
    pg_dump --dbname="$database_url" --format=custom --no-owner --no-privileges \
      --file="$target/database.dump"
    ;;
  sqlite)
    # SQLite's online backup API: a consistent copy even while the site runs.
    python3 - "$db_file" "$target/database.sqlite3" <<'PY'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
PY
    ;;
esac

archive() {  # archive <folder> <file>: an empty archive when the folder does not exist
  if [ -d "$1" ]; then
    tar -czf "$2" -C "$1" .
  else
    tar -czf "$2" -T /dev/null
  fi
}
archive "$media_root" "$target/media.tar.gz"
archive "$private_root" "$target/private.tar.gz"

(cd "$target" && sha256sum database.* media.tar.gz private.tar.gz > SHA256SUMS)
echo "$target"
