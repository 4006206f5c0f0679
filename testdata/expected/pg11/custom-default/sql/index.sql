--
-- PostgreSQL database dump
--

\restrict TESTKEY

-- Dumped from database version 11.13
-- Dumped by pg_dump version 11.13

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
-- PostgreSQL database dump complete
--

\unrestrict TESTKEY

