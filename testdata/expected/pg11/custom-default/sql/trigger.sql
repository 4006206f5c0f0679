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

--
-- Name: orders orders_bump_version; Type: TRIGGER; Schema: app; Owner: app_owner
--

CREATE TRIGGER orders_bump_version BEFORE UPDATE ON app.orders FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE PROCEDURE app.bump_version();


--
-- Name: TRIGGER orders_bump_version ON orders; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON TRIGGER orders_bump_version ON app.orders IS 'Increments version on update';


--
-- PostgreSQL database dump complete
--

\unrestrict TESTKEY

