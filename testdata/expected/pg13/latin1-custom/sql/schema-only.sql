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

SET default_table_access_method = heap;

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
-- Name: Awkward "Table", Name; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app."Awkward ""Table"", Name" (
    "ID" integer NOT NULL,
    "Text ""Value""" text,
    "select" boolean,
    "naÔve numeric" numeric,
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

