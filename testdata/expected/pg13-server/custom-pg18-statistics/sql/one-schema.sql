--
-- PostgreSQL database dump
--

\restrict TESTKEY

-- Dumped from database version 13.4
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

--
-- Name: Weird Function(text, integer); Type: FUNCTION; Schema: Odd "Schema" Name; Owner: postgres
--

CREATE FUNCTION "Odd ""Schema"" Name"."Weird Function"("arg one" text, "ARG2" integer DEFAULT 2) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $_$ SELECT repeat($1, $2) $_$;


ALTER FUNCTION "Odd ""Schema"" Name"."Weird Function"("arg one" text, "ARG2" integer) OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: Dotted.Table Name; Type: TABLE; Schema: Odd "Schema" Name; Owner: postgres
--

CREATE TABLE "Odd ""Schema"" Name"."Dotted.Table Name" (
    "a.b" integer,
    c text
);


ALTER TABLE "Odd ""Schema"" Name"."Dotted.Table Name" OWNER TO postgres;

--
-- Name: Table With Spaces; Type: TABLE; Schema: Odd "Schema" Name; Owner: postgres
--

CREATE TABLE "Odd ""Schema"" Name"."Table With Spaces" (
    "ID" integer NOT NULL,
    "Column ""Quoted""" text,
    "MixedCase" numeric,
    "with space" text,
    "select" boolean,
    "ünïcödé" text
);


ALTER TABLE "Odd ""Schema"" Name"."Table With Spaces" OWNER TO postgres;

--
-- Name: COLUMN "Table With Spaces"."Column ""Quoted"""; Type: COMMENT; Schema: Odd "Schema" Name; Owner: postgres
--

COMMENT ON COLUMN "Odd ""Schema"" Name"."Table With Spaces"."Column ""Quoted""" IS 'A column whose name contains "quotes"';


--
-- Name: View Of "Spaces"; Type: VIEW; Schema: Odd "Schema" Name; Owner: postgres
--

CREATE VIEW "Odd ""Schema"" Name"."View Of ""Spaces""" AS
 SELECT "Table With Spaces"."ID",
    "Table With Spaces"."Column ""Quoted"""
   FROM "Odd ""Schema"" Name"."Table With Spaces";


ALTER VIEW "Odd ""Schema"" Name"."View Of ""Spaces""" OWNER TO postgres;

--
-- Data for Name: Dotted.Table Name; Type: TABLE DATA; Schema: Odd "Schema" Name; Owner: postgres
--

COPY "Odd ""Schema"" Name"."Dotted.Table Name" ("a.b", c) FROM stdin;
1	dot
2	dot.dot
\.


--
-- Data for Name: Table With Spaces; Type: TABLE DATA; Schema: Odd "Schema" Name; Owner: postgres
--

COPY "Odd ""Schema"" Name"."Table With Spaces" ("ID", "Column ""Quoted""", "MixedCase", "with space", "select", "ünïcödé") FROM stdin;
1	one	1.1	a b	t	ü
2	two\nlines	-2		f	\N
3	\N	\N	\N	\N	🐘
\.


--
-- Statistics for Name: Dotted.Table Name; Type: STATISTICS DATA; Schema: Odd "Schema" Name; Owner: -
--

SELECT * FROM pg_catalog.pg_restore_relation_stats(
	'version', '130004'::integer,
	'schemaname', 'Odd "Schema" Name',
	'relname', 'Dotted.Table Name',
	'relpages', '1'::integer,
	'reltuples', '2'::real,
	'relallvisible', '0'::integer
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '130004'::integer,
	'schemaname', 'Odd "Schema" Name',
	'relname', 'Dotted.Table Name',
	'attname', 'a.b',
	'inherited', 'f'::boolean,
	'null_frac', '0'::real,
	'avg_width', '4'::integer,
	'n_distinct', '-1'::real,
	'histogram_bounds', '{1,2}'::text,
	'correlation', '1'::real
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '130004'::integer,
	'schemaname', 'Odd "Schema" Name',
	'relname', 'Dotted.Table Name',
	'attname', 'c',
	'inherited', 'f'::boolean,
	'null_frac', '0'::real,
	'avg_width', '6'::integer,
	'n_distinct', '-1'::real,
	'histogram_bounds', '{dot,dot.dot}'::text,
	'correlation', '1'::real
);


--
-- Statistics for Name: Table With Spaces; Type: STATISTICS DATA; Schema: Odd "Schema" Name; Owner: -
--

SELECT * FROM pg_catalog.pg_restore_relation_stats(
	'version', '130004'::integer,
	'schemaname', 'Odd "Schema" Name',
	'relname', 'Table With Spaces',
	'relpages', '1'::integer,
	'reltuples', '3'::real,
	'relallvisible', '0'::integer
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '130004'::integer,
	'schemaname', 'Odd "Schema" Name',
	'relname', 'Table With Spaces',
	'attname', 'Column "Quoted"',
	'inherited', 'f'::boolean,
	'null_frac', '0.33333334'::real,
	'avg_width', '7'::integer,
	'n_distinct', '-0.6666666'::real,
	'histogram_bounds', '{one,"two
lines"}'::text,
	'correlation', '1'::real
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '130004'::integer,
	'schemaname', 'Odd "Schema" Name',
	'relname', 'Table With Spaces',
	'attname', 'ID',
	'inherited', 'f'::boolean,
	'null_frac', '0'::real,
	'avg_width', '4'::integer,
	'n_distinct', '-1'::real,
	'histogram_bounds', '{1,2,3}'::text,
	'correlation', '1'::real
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '130004'::integer,
	'schemaname', 'Odd "Schema" Name',
	'relname', 'Table With Spaces',
	'attname', 'MixedCase',
	'inherited', 'f'::boolean,
	'null_frac', '0.33333334'::real,
	'avg_width', '6'::integer,
	'n_distinct', '-0.6666666'::real,
	'histogram_bounds', '{-2,1.1}'::text,
	'correlation', '-1'::real
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '130004'::integer,
	'schemaname', 'Odd "Schema" Name',
	'relname', 'Table With Spaces',
	'attname', 'select',
	'inherited', 'f'::boolean,
	'null_frac', '0.33333334'::real,
	'avg_width', '1'::integer,
	'n_distinct', '-0.6666666'::real,
	'histogram_bounds', '{f,t}'::text,
	'correlation', '-1'::real
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '130004'::integer,
	'schemaname', 'Odd "Schema" Name',
	'relname', 'Table With Spaces',
	'attname', 'with space',
	'inherited', 'f'::boolean,
	'null_frac', '0.33333334'::real,
	'avg_width', '2'::integer,
	'n_distinct', '-0.6666666'::real,
	'histogram_bounds', '{"","a b"}'::text,
	'correlation', '-1'::real
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '130004'::integer,
	'schemaname', 'Odd "Schema" Name',
	'relname', 'Table With Spaces',
	'attname', 'ünïcödé',
	'inherited', 'f'::boolean,
	'null_frac', '0.33333334'::real,
	'avg_width', '4'::integer,
	'n_distinct', '-0.6666666'::real,
	'histogram_bounds', '{ü,🐘}'::text,
	'correlation', '1'::real
);


--
-- Name: Table With Spaces Table With Spaces_pkey; Type: CONSTRAINT; Schema: Odd "Schema" Name; Owner: postgres
--

ALTER TABLE ONLY "Odd ""Schema"" Name"."Table With Spaces"
    ADD CONSTRAINT "Table With Spaces_pkey" PRIMARY KEY ("ID");


--
-- Name: TABLE "Table With Spaces"; Type: ACL; Schema: Odd "Schema" Name; Owner: postgres
--

GRANT SELECT,INSERT,REFERENCES,DELETE,TRIGGER,TRUNCATE,UPDATE ON TABLE "Odd ""Schema"" Name"."Table With Spaces" TO app_owner;


--
-- Statistics for Name: Table With Spaces_pkey; Type: STATISTICS DATA; Schema: Odd "Schema" Name; Owner: -
--

SELECT * FROM pg_catalog.pg_restore_relation_stats(
	'version', '130004'::integer,
	'schemaname', 'Odd "Schema" Name',
	'relname', 'Table With Spaces_pkey',
	'relpages', '2'::integer,
	'reltuples', '3'::real,
	'relallvisible', '0'::integer
);


--
-- PostgreSQL database dump complete
--

\unrestrict TESTKEY

