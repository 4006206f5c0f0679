--
-- PostgreSQL database dump
--

\restrict TESTKEY

-- Dumped from database version 13.4
-- Dumped by pg_dump version 13.4

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET transaction_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = off;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET escape_string_warning = off;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: Straße; Type: TABLE; Schema: Odd "Schema" Name; Owner: postgres
--

CREATE TABLE "Odd ""Schema"" Name"."Straße" (
    id integer,
    "Grüße" text
);


ALTER TABLE "Odd ""Schema"" Name"."Straße" OWNER TO postgres;

--
-- Name: Table With Spaces; Type: TABLE; Schema: Odd "Schema" Name; Owner: app_owner
--

CREATE TABLE "Odd ""Schema"" Name"."Table With Spaces" (
    "ID" integer,
    "with space" text
);


ALTER TABLE "Odd ""Schema"" Name"."Table With Spaces" OWNER TO app_owner;

--
-- Data for Name: Straße; Type: TABLE DATA; Schema: Odd "Schema" Name; Owner: postgres
--

COPY "Odd ""Schema"" Name"."Straße" (id, "Grüße") FROM stdin;
1	Grüß Gott
2	tab\there
\.


--
-- Data for Name: Table With Spaces; Type: TABLE DATA; Schema: Odd "Schema" Name; Owner: app_owner
--

COPY "Odd ""Schema"" Name"."Table With Spaces" ("ID", "with space") FROM stdin;
1	a b
2	\N
\.


--
-- Name: TABLE "Table With Spaces"; Type: ACL; Schema: Odd "Schema" Name; Owner: app_owner
--

GRANT SELECT ON TABLE "Odd ""Schema"" Name"."Table With Spaces" TO "Report Reader";


--
-- PostgreSQL database dump complete
--

\unrestrict TESTKEY

