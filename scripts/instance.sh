# Repères — the instance's database and file folders, sourced by backup.sh and
# restore.sh: the same variables and defaults as config/settings.py, so that both
# scripts always agree on what they save and where they restore it.
#
# Sets: here, var_dir, database_url, media_root, private_root, and
#   database  "postgres" or "sqlite"
#   db_file   the SQLite file (relative to the current directory, as Django reads it)
# Exits with status 2 on any other DATABASE_URL scheme.

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
var_dir="${VAR_DIR:-$here/var}"
database_url="${DATABASE_URL:-sqlite:///$var_dir/db.sqlite3}"
media_root="${MEDIA_ROOT:-$var_dir/media}"
private_root="${PRIVATE_MEDIA_ROOT:-$var_dir/private}"

case "$database_url" in
  postgres://*|postgresql://*)
    database=postgres
    ;;
  sqlite:///?*)
    database=sqlite
    # sqlite:///relative.db or sqlite:////absolute/path.db, as dj-database-url reads it.
    db_file="${database_url#sqlite:///}"
    ;;
  *)
    echo "$(basename "$0"): unsupported DATABASE_URL scheme" >&2
    exit 2
    ;;
esac
