--
-- PostgreSQL database dump
--

\restrict TESTKEY

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 18.6

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET transaction_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

--
-- Name: orders_open_idx; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE INDEX orders_open_idx ON app.orders USING btree (ordered_at DESC NULLS LAST) WHERE (status <> 'cancelled'::text);


--
-- Name: INDEX orders_open_idx; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON INDEX app.orders_open_idx IS 'Partial index on open orders';


--
-- Statistics for Name: orders_open_idx; Type: STATISTICS DATA; Schema: app; Owner: -
--

SELECT * FROM pg_catalog.pg_restore_relation_stats(
	'version', '150018'::integer,
	'schemaname', 'app',
	'relname', 'orders_open_idx',
	'relpages', '2'::integer,
	'reltuples', '46'::real,
	'relallvisible', '0'::integer
);


--
-- PostgreSQL database dump complete
--

\unrestrict TESTKEY

