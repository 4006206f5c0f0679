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
SET client_encoding = 'SQL_ASCII';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

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

COMMENT ON COLUMN app."Awkward ""Table"", Name"."Text ""Value""" IS 'Quotes '' " and a backslash \';


--
-- Data for Name: Awkward "Table", Name; Type: TABLE DATA; Schema: app; Owner: postgres
--

INSERT INTO app."Awkward ""Table"", Name" VALUES (1, 'plain', true, 1.5, '\x00ff', '2024-02-29 13:37:00.123456', '2024-02-29 12:37:00.5+00', '2024-02-29', '{1,2,3}', '{a,b}', 2.25, '{"a": 1}', 'abcd');
INSERT INTO app."Awkward ""Table"", Name" VALUES (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO app."Awkward ""Table"", Name" VALUES (3, '', false, 0, '\x', '1970-01-01 00:00:00', '1970-01-01 00:00:00+00', '1970-01-01', '{}', '{}', 0, '""', '    ');
INSERT INTO app."Awkward ""Table"", Name" VALUES (4, 'it''s "quoted": '' and "" and '''' doubled', true, -0.000001, '\x27225c', '2000-01-01 00:00:00', '2000-01-01 06:30:00+00', '2000-01-01', '{-1,0,1}', '{it''s,"say \"hi\""}', 0, '{"q": "it''s \"x\""}', '''"  ');
INSERT INTO app."Awkward ""Table"", Name" VALUES (5, 'back\slash, \N, \\ two, \. alone and \x41', false, 99999999999999999999.999999, '\x5c5c4e', '0044-03-15 12:00:00 BC', '0044-03-15 12:00:00+00 BC', '0044-03-15 BC', '{NULL,7}', '{"back\\slash","\\N",NULL,"NULL",""}', 1.00000000000000003e-300, '{"b": "\\"}', '\\  ');
INSERT INTO app."Awkward ""Table"", Name" VALUES (6, 'line 1
line 2	tab
CRLFCR
', true, 'NaN', '\x0a0d09', 'infinity', '-infinity', 'infinity', '{2147483647,-2147483648}', '{"a
b","c	d","e f",",",;}', 'Infinity', '"line\nbreak"', 'a	b ');
INSERT INTO app."Awkward ""Table"", Name" VALUES (7, 'café naïve Straße ñ © µ ÿ «guillemets» nbsp: ', NULL, 0.000000000000000000000000000001, '\x636166c3a9', '2024-12-31 23:59:59.999999', '2025-01-01 11:59:59.999999+00', '2024-12-31', '{{1,2},{3,4}}', '{é,ü,ß}', '-Infinity', '{"k": "ñ"}', 'ñÿ');
INSERT INTO app."Awkward ""Table"", Name" VALUES (8, '\.', false, -123456789.123456789, '\x5c2e0a', '2001-02-03 04:05:06', '2001-02-03 04:05:06+00', '2001-02-03', '{0}', '{"\\\\."}', 'NaN', 'null', 'NULL');
INSERT INTO app."Awkward ""Table"", Name" VALUES (9, 'NULL', true, 1, '\x4e554c4c', '2001-02-03 04:05:06.7', '2001-02-03 04:05:06.7+00', '2001-02-03', '{9}', '{NULL}', -1.50000000000000008e+300, '[]', '\N  ');
INSERT INTO app."Awkward ""Table"", Name" VALUES (11, 'raw bytes: � � � and LATIN1-style caf�', false, 11, '\xe9ff80', '2011-11-11 11:11:11', '2011-11-11 11:11:11+00', '2011-11-11', '{11}', '{caf�}', 11, '{"raw": "�"}', '��  ');


--
-- PostgreSQL database dump complete
--

\unrestrict TESTKEY

