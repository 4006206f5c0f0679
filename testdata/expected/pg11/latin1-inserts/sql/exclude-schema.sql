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
SET client_encoding = 'LATIN1';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: Odd "Schema" Name; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "Odd ""Schema"" Name";


ALTER SCHEMA "Odd ""Schema"" Name" OWNER TO postgres;

--
-- Name: app; Type: SCHEMA; Schema: -; Owner: app_owner
--

CREATE SCHEMA app;


ALTER SCHEMA app OWNER TO app_owner;

--
-- Name: SCHEMA app; Type: COMMENT; Schema: -; Owner: app_owner
--

COMMENT ON SCHEMA app IS 'Awkward data; comment with a quote '' and a backslash \';


SET default_tablespace = '';

--
-- Name: Straﬂe; Type: TABLE; Schema: Odd "Schema" Name; Owner: postgres
--

CREATE TABLE "Odd ""Schema"" Name"."Straﬂe" (
    id integer,
    "Gr¸ﬂe" text
);


ALTER TABLE "Odd ""Schema"" Name"."Straﬂe" OWNER TO postgres;

--
-- Name: Table With Spaces; Type: TABLE; Schema: Odd "Schema" Name; Owner: app_owner
--

CREATE TABLE "Odd ""Schema"" Name"."Table With Spaces" (
    "ID" integer,
    "with space" text
);


ALTER TABLE "Odd ""Schema"" Name"."Table With Spaces" OWNER TO app_owner;

--
-- Data for Name: Straﬂe; Type: TABLE DATA; Schema: Odd "Schema" Name; Owner: postgres
--

INSERT INTO "Odd ""Schema"" Name"."Straﬂe" VALUES (1, 'Gr¸ﬂ Gott');
INSERT INTO "Odd ""Schema"" Name"."Straﬂe" VALUES (2, 'tab	here');


--
-- Data for Name: Table With Spaces; Type: TABLE DATA; Schema: Odd "Schema" Name; Owner: app_owner
--

INSERT INTO "Odd ""Schema"" Name"."Table With Spaces" VALUES (1, 'a b');
INSERT INTO "Odd ""Schema"" Name"."Table With Spaces" VALUES (2, NULL);


--
-- Name: TABLE "Table With Spaces"; Type: ACL; Schema: Odd "Schema" Name; Owner: app_owner
--

GRANT SELECT ON TABLE "Odd ""Schema"" Name"."Table With Spaces" TO "Report Reader";


--
-- PostgreSQL database dump complete
--

\unrestrict TESTKEY

