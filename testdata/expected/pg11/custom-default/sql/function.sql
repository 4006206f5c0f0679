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
-- Name: add_tax(numeric, numeric); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.add_tax(amount numeric, rate numeric DEFAULT 0.19) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT round(amount * (1 + rate), 2) $$;


ALTER FUNCTION app.add_tax(amount numeric, rate numeric) OWNER TO postgres;

--
-- Name: FUNCTION add_tax(amount numeric, rate numeric); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.add_tax(amount numeric, rate numeric) IS 'Adds tax; default rate 19%';


--
-- Name: FUNCTION add_tax(amount numeric, rate numeric); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.add_tax(amount numeric, rate numeric) FROM PUBLIC;
GRANT ALL ON FUNCTION app.add_tax(amount numeric, rate numeric) TO "Report Reader" WITH GRANT OPTION;


--
-- PostgreSQL database dump complete
--

\unrestrict TESTKEY

