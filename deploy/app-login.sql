-- Run by docker-compose.yml's `app-login` service as the database owner, after the migrations have
-- created the NOLOGIN group role supervision_app: the api's and projectors' LOGIN user, a member of
-- that role and nothing more. psql variable :pw is the password (APP_DB_PASSWORD); each `up`
-- sets it again, so changing APP_DB_PASSWORD and restarting rotates it.
\set ON_ERROR_STOP on
SELECT format('CREATE ROLE supervision_api LOGIN PASSWORD %L IN ROLE supervision_app', :'pw')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'supervision_api') \gexec
SELECT format('ALTER ROLE supervision_api WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'pw') \gexec
GRANT supervision_app TO supervision_api;
