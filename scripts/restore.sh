#!/usr/bin/env bash
# Repères — restore a backup made by scripts/backup.sh into an EMPTY instance.
#
#   DATABASE_URL=postgres://…/empty_db MEDIA_ROOT=… PRIVATE_MEDIA_ROOT=… \
#     scripts/restore.sh /path/to/reperes-<timestamp>
#
# Refuses to run when the database already has tables or a files folder is not
# empty: a restore never merges into live data. Then checks the archive's
# checksums, restores the database and the files, applies migrations newer than
# the backup (same or newer code), and runs `verify_certificates`: every
# certificate PDF must be present with the SHA-256 recorded at issue.
set -euo pipefail

source_dir="${1:?usage: restore.sh BACKUP_DIR}"
# shellcheck source=scripts/instance.sh
source "$(dirname "$0")/instance.sh"
python="${PYTHON:-$here/.venv/bin/python}"

(cd "$source_dir" && sha256sum --check --quiet SHA256SUMS)

for folder in "$media_root" "$private_root"; do
  if [ -d "$folder" ] && [ -n "$(ls -A "$folder")" ]; then
    echo "restore.sh: $folder is not empty; restore into an empty instance" >&2
    exit 2
  fi
done

case "$database" in
  postgres)
    tables="$(psql "$database_url" -tAc "select count(*) from pg_tables where schemaname = 'public'")"
    if [ "$tables" != "0" ]; then
      echo "restore.sh: the database is not empty ($tables tables)" >&2
      exit 2
    fi
    pg_restore --dbname="$database_url" --no-owner --no-privileges --exit-on-error \
      "$source_dir/database.dump"
    ;;
  sqlite)
    if [ -s "$db_file" ]; then
      echo "restore.sh: $db_file already exists" >&2
      exit 2
    fi
    mkdir -p "$(dirname "$db_file")"
    cp "$source_dir/database.sqlite3" "$db_file"
    ;;
esac

umask 077
mkdir -p "$media_root" "$private_root"
tar -xzf "$source_dir/media.tar.gz" -C "$media_root"
tar -xzf "$source_dir/private.tar.gz" -C "$private_root"

"$python" "$here/manage.py" migrate --no-input
"$python" "$here/manage.py" verify_certificates --allow-pending
echo "Restauration terminée."
