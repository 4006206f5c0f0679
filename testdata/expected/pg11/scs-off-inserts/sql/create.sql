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
SET standard_conforming_strings = off;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET escape_string_warning = off;
SET row_security = off;

--
-- Name: pgdumpkit_scs_off; Type: DATABASE; Schema: -; Owner: postgres
--

CREATE DATABASE pgdumpkit_scs_off WITH TEMPLATE = template0 ENCODING = 'UTF8' LC_COLLATE = 'C' LC_CTYPE = 'C';


ALTER DATABASE pgdumpkit_scs_off OWNER TO postgres;

\unrestrict TESTKEY
\connect pgdumpkit_scs_off
\restrict TESTKEY

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

--
-- Name: pgdumpkit_scs_off; Type: DATABASE PROPERTIES; Schema: -; Owner: postgres
--

ALTER DATABASE pgdumpkit_scs_off SET standard_conforming_strings TO 'off';


\unrestrict TESTKEY
\connect pgdumpkit_scs_off
\restrict TESTKEY

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

COMMENT ON SCHEMA app IS 'Awkward data; comment with a quote '' and a backslash \\';


SET default_tablespace = '';

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
-- Name: Awkward "Table", Name; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app."Awkward ""Table"", Name" (
    "ID" integer NOT NULL,
    "Text ""Value""" text,
    "select" boolean,
    "naïve numeric" numeric,
    c_bytea bytea,
    c_timestamp timestamp without time zone,
    c_timestamptz timestamp with time zone,
    c_date date,
    c_int_array integer[],
    c_text_array text[],
    c_double double precision,
    c_json json,
    c_char character(4)
);


ALTER TABLE app."Awkward ""Table"", Name" OWNER TO postgres;

--
-- Name: COLUMN "Awkward ""Table"", Name"."Text ""Value"""; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app."Awkward ""Table"", Name"."Text ""Value""" IS 'Quotes '' " and a backslash \\';


--
-- Name: empty_table; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.empty_table (
    id integer,
    payload text
);


ALTER TABLE app.empty_table OWNER TO postgres;

--
-- Name: no_columns; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.no_columns (
);


ALTER TABLE app.no_columns OWNER TO postgres;

--
-- Name: series; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.series (
    id integer NOT NULL,
    label text NOT NULL,
    flag boolean
);


ALTER TABLE app.series OWNER TO postgres;

--
-- Name: series_id_seq; Type: SEQUENCE; Schema: app; Owner: postgres
--

CREATE SEQUENCE app.series_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER SEQUENCE app.series_id_seq OWNER TO postgres;

--
-- Name: series_id_seq; Type: SEQUENCE OWNED BY; Schema: app; Owner: postgres
--

ALTER SEQUENCE app.series_id_seq OWNED BY app.series.id;


--
-- Name: series id; Type: DEFAULT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.series ALTER COLUMN id SET DEFAULT nextval('app.series_id_seq'::regclass);


--
-- Data for Name: Straße; Type: TABLE DATA; Schema: Odd "Schema" Name; Owner: postgres
--

INSERT INTO "Odd ""Schema"" Name"."Straße" VALUES (1, 'Grüß Gott');
INSERT INTO "Odd ""Schema"" Name"."Straße" VALUES (2, 'tab	here');


--
-- Data for Name: Table With Spaces; Type: TABLE DATA; Schema: Odd "Schema" Name; Owner: app_owner
--

INSERT INTO "Odd ""Schema"" Name"."Table With Spaces" VALUES (1, 'a b');
INSERT INTO "Odd ""Schema"" Name"."Table With Spaces" VALUES (2, NULL);


--
-- Data for Name: Awkward "Table", Name; Type: TABLE DATA; Schema: app; Owner: postgres
--

INSERT INTO app."Awkward ""Table"", Name" VALUES (1, 'plain', true, 1.5, '\\x00ff', '2024-02-29 13:37:00.123456', '2024-02-29 12:37:00.5+00', '2024-02-29', '{1,2,3}', '{a,b}', 2.25, '{"a": 1}', 'abcd');
INSERT INTO app."Awkward ""Table"", Name" VALUES (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO app."Awkward ""Table"", Name" VALUES (3, '', false, 0, '\\x', '1970-01-01 00:00:00', '1970-01-01 00:00:00+00', '1970-01-01', '{}', '{}', 0, '""', '    ');
INSERT INTO app."Awkward ""Table"", Name" VALUES (4, 'it''s "quoted": '' and "" and '''' doubled', true, -0.000001, '\\x27225c', '2000-01-01 00:00:00', '2000-01-01 06:30:00+00', '2000-01-01', '{-1,0,1}', '{it''s,"say \\"hi\\""}', 0, '{"q": "it''s \\"x\\""}', '''"  ');
INSERT INTO app."Awkward ""Table"", Name" VALUES (5, 'back\\slash, \\N, \\\\ two, \\. alone and \\x41', false, 99999999999999999999.999999, '\\x5c5c4e', '0044-03-15 12:00:00 BC', '0044-03-15 12:00:00+00 BC', '0044-03-15 BC', '{NULL,7}', '{"back\\\\slash","\\\\N",NULL,"NULL",""}', 1.00000000000000003e-300, '{"b": "\\\\"}', '\\\\  ');
INSERT INTO app."Awkward ""Table"", Name" VALUES (6, 'line 1
line 2	tab
CRLFCR
', true, 'NaN', '\\x0a0d09', 'infinity', '-infinity', 'infinity', '{2147483647,-2147483648}', '{"a
b","c	d","e f",",",;}', 'Infinity', '"line\\nbreak"', 'a	b ');
INSERT INTO app."Awkward ""Table"", Name" VALUES (7, 'café naïve Straße ñ © µ ÿ «guillemets» nbsp: ', NULL, 0.000000000000000000000000000001, '\\x636166c3a9', '2024-12-31 23:59:59.999999', '2025-01-01 11:59:59.999999+00', '2024-12-31', '{{1,2},{3,4}}', '{é,ü,ß}', '-Infinity', '{"k": "ñ"}', 'ñÿ  ');
INSERT INTO app."Awkward ""Table"", Name" VALUES (8, '\\.', false, -123456789.123456789, '\\x5c2e0a', '2001-02-03 04:05:06', '2001-02-03 04:05:06+00', '2001-02-03', '{0}', '{"\\\\\\\\."}', 'NaN', 'null', 'NULL');
INSERT INTO app."Awkward ""Table"", Name" VALUES (9, 'NULL', true, 1, '\\x4e554c4c', '2001-02-03 04:05:06.7', '2001-02-03 04:05:06.7+00', '2001-02-03', '{9}', '{NULL}', -1.50000000000000008e+300, '[]', '\\N  ');
INSERT INTO app."Awkward ""Table"", Name" VALUES (10, '日本語 — “curly” 🐘🎉 é combining', true, 10, '\\xe697a5e69cac', '2010-10-10 10:10:10', '2010-10-10 00:10:10+00', '2010-10-10', '{10}', '{🐘,日本}', 10, '{"emoji": "🐘"}', '日本語😀');


--
-- Data for Name: empty_table; Type: TABLE DATA; Schema: app; Owner: postgres
--



--
-- Data for Name: no_columns; Type: TABLE DATA; Schema: app; Owner: postgres
--

INSERT INTO app.no_columns DEFAULT VALUES;
INSERT INTO app.no_columns DEFAULT VALUES;


--
-- Data for Name: series; Type: TABLE DATA; Schema: app; Owner: postgres
--

INSERT INTO app.series VALUES (1, 'row 1', false);
INSERT INTO app.series VALUES (2, 'row 2', true);
INSERT INTO app.series VALUES (3, 'row 3 with '' quote', false);
INSERT INTO app.series VALUES (4, 'row 4', NULL);
INSERT INTO app.series VALUES (5, 'row 5', false);
INSERT INTO app.series VALUES (6, 'row 6 with '' quote', true);
INSERT INTO app.series VALUES (7, 'row 7', false);
INSERT INTO app.series VALUES (8, 'row 8', NULL);
INSERT INTO app.series VALUES (9, 'row 9 with '' quote', false);
INSERT INTO app.series VALUES (10, 'row 10', true);


--
-- Name: series_id_seq; Type: SEQUENCE SET; Schema: app; Owner: postgres
--

SELECT pg_catalog.setval('app.series_id_seq', 10, true);


--
-- Name: Awkward "Table", Name Awkward "Table", Name_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app."Awkward ""Table"", Name"
    ADD CONSTRAINT "Awkward ""Table"", Name_pkey" PRIMARY KEY ("ID");


--
-- Name: series series_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.series
    ADD CONSTRAINT series_pkey PRIMARY KEY (id);


--
-- Name: TABLE "Table With Spaces"; Type: ACL; Schema: Odd "Schema" Name; Owner: app_owner
--

GRANT SELECT ON TABLE "Odd ""Schema"" Name"."Table With Spaces" TO "Report Reader";


--
-- PostgreSQL database dump complete
--

\unrestrict TESTKEY

