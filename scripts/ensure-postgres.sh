#!/usr/bin/env bash
# Makes sure a PostgreSQL server is reachable for the tests and prints the DATABASE_URL to use.
# With DATABASE_URL already set it only checks the connection. Otherwise it uses Debian's
# `postgresql` package (installing it when run as root on a machine without it), starts the
# cluster, and creates the roles and databases idempotently: `zhengyun` owns the schema (it runs
# the migrations: MIGRATION_DATABASE_URL), `zhengyun_app` is the runtime role the migrations grant
# (DATABASE_URL of a deployed portal: it may only INSERT and SELECT the audit log), and the
# databases `zhengyun` / `zhengyun_test`. Tests connect as the owner and use the runtime role where
# they check what it cannot do.
set -euo pipefail

if [ -n "${DATABASE_URL:-}" ]; then
  echo "$DATABASE_URL"
  exit 0
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's postgresql package" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  else
    echo "PostgreSQL is not installed: run 'sudo apt-get install -y postgresql' or set DATABASE_URL" >&2
    exit 1
  fi
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start >&2
fi

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

as_postgres psql -qtA -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zhengyun') THEN
    CREATE ROLE zhengyun LOGIN PASSWORD 'zhengyun' CREATEDB;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zhengyun_app') THEN
    CREATE ROLE zhengyun_app LOGIN PASSWORD 'zhengyun_app' NOCREATEDB NOCREATEROLE;
  END IF; END \$\$;" >&2
# --fresh (CI): the test database starts empty, whatever earlier runs on this server left in it.
if [ "${1:-}" = "--fresh" ]; then
  as_postgres dropdb --if-exists --force zhengyun_test >&2
fi
for db in zhengyun zhengyun_test; do
  if ! as_postgres psql -qtA -c "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    as_postgres createdb -O zhengyun "$db" >&2
  fi
  # btree_gist is a trusted-by-superuser extension: create it here so migrations need no superuser.
  as_postgres psql -qtA -d "$db" -c "CREATE EXTENSION IF NOT EXISTS btree_gist" >&2
done
# template1 too, so databases created by tests (CREATE DATABASE) inherit the extension.
as_postgres psql -qtA -d template1 -c "CREATE EXTENSION IF NOT EXISTS btree_gist" >&2

echo "postgres://zhengyun:zhengyun@127.0.0.1:5432/zhengyun_test"
