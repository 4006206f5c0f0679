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
-- Name: SCHEMA "Odd ""Schema"" Name"; Type: COMMENT; Schema: -; Owner: postgres
--

COMMENT ON SCHEMA "Odd ""Schema"" Name" IS 'Schema whose name has spaces, "quotes" and Capitals';


--
-- Name: app; Type: SCHEMA; Schema: -; Owner: app_owner
--

CREATE SCHEMA app;


ALTER SCHEMA app OWNER TO app_owner;

--
-- Name: SCHEMA app; Type: COMMENT; Schema: -; Owner: app_owner
--

COMMENT ON SCHEMA app IS 'Main application schema';


--
-- Name: extensions; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA extensions;


ALTER SCHEMA extensions OWNER TO postgres;

--
-- Name: history; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA history;


ALTER SCHEMA history OWNER TO postgres;

--
-- Name: c_copy; Type: COLLATION; Schema: app; Owner: app_owner
--

CREATE COLLATION app.c_copy (provider = libc, locale = 'C');


ALTER COLLATION app.c_copy OWNER TO app_owner;

--
-- Name: pgdumpkit_settings; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgdumpkit_settings WITH SCHEMA extensions;


--
-- Name: EXTENSION pgdumpkit_settings; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pgdumpkit_settings IS 'settings (comment changed by the fixture)';


--
-- Name: address; Type: TYPE; Schema: app; Owner: app_owner
--

CREATE TYPE app.address AS (
	street text,
	city text,
	zip character(5)
);


ALTER TYPE app.address OWNER TO app_owner;

--
-- Name: email; Type: DOMAIN; Schema: app; Owner: app_owner
--

CREATE DOMAIN app.email AS text
	CONSTRAINT email_has_at CHECK ((VALUE ~ '^[^@]+@[^@]+$'::text));


ALTER DOMAIN app.email OWNER TO app_owner;

--
-- Name: DOMAIN email; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON DOMAIN app.email IS 'E-mail address';


--
-- Name: floatrange; Type: TYPE; Schema: app; Owner: app_owner
--

CREATE TYPE app.floatrange AS RANGE (
    subtype = double precision,
    subtype_diff = float8mi
);


ALTER TYPE app.floatrange OWNER TO app_owner;

--
-- Name: mood; Type: TYPE; Schema: app; Owner: app_owner
--

CREATE TYPE app.mood AS ENUM (
    'sad',
    'ok',
    'happy',
    'très "bien"'
);


ALTER TYPE app.mood OWNER TO app_owner;

--
-- Name: TYPE mood; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON TYPE app.mood IS 'An enum; one label has non-ASCII and quotes';


--
-- Name: Weird Function(text, integer); Type: FUNCTION; Schema: Odd "Schema" Name; Owner: postgres
--

CREATE FUNCTION "Odd ""Schema"" Name"."Weird Function"("arg one" text, "ARG2" integer DEFAULT 2) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $_$ SELECT repeat($1, $2) $_$;


ALTER FUNCTION "Odd ""Schema"" Name"."Weird Function"("arg one" text, "ARG2" integer) OWNER TO postgres;

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
-- Name: address_eq(app.address, app.address); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.address_eq(a app.address, b app.address) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT a.zip = b.zip $$;


ALTER FUNCTION app.address_eq(a app.address, b app.address) OWNER TO postgres;

--
-- Name: archive_orders(timestamp with time zone); Type: PROCEDURE; Schema: app; Owner: postgres
--

CREATE PROCEDURE app.archive_orders(p_before timestamp with time zone)
    LANGUAGE plpgsql
    AS $$
BEGIN
  INSERT INTO app.archived_orders SELECT * FROM app.orders WHERE ordered_at < p_before;
END;
$$;


ALTER PROCEDURE app.archive_orders(p_before timestamp with time zone) OWNER TO postgres;

--
-- Name: PROCEDURE archive_orders(p_before timestamp with time zone); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON PROCEDURE app.archive_orders(p_before timestamp with time zone) IS 'Copies old orders';


--
-- Name: bump_version(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.bump_version() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END;
$$;


ALTER FUNCTION app.bump_version() OWNER TO postgres;

--
-- Name: customer_stats(integer); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.customer_stats(p_customer integer, OUT n_orders bigint, OUT total numeric) RETURNS record
    LANGUAGE sql STABLE
    AS $$ SELECT count(*), coalesce(sum(total), 0) FROM app.orders WHERE customer_id = p_customer $$;


ALTER FUNCTION app.customer_stats(p_customer integer, OUT n_orders bigint, OUT total numeric) OWNER TO postgres;

--
-- Name: log_statement(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.log_statement() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'app'
    AS $$
BEGIN
  RAISE NOTICE 'statement on %', TG_TABLE_NAME;
  RETURN NULL;
END;
$$;


ALTER FUNCTION app.log_statement() OWNER TO postgres;

--
-- Name: mul_sfunc(numeric, numeric); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.mul_sfunc(state numeric, value numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT state * coalesce(value, 1) $$;


ALTER FUNCTION app.mul_sfunc(state numeric, value numeric) OWNER TO postgres;

--
-- Name: on_ddl(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.on_ddl() RETURNS event_trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NULL; END; $$;


ALTER FUNCTION app.on_ddl() OWNER TO postgres;

--
-- Name: product(numeric); Type: AGGREGATE; Schema: app; Owner: postgres
--

CREATE AGGREGATE app.product(numeric) (
    SFUNC = app.mul_sfunc,
    STYPE = numeric,
    INITCOND = '1'
);


ALTER AGGREGATE app.product(numeric) OWNER TO postgres;

--
-- Name: AGGREGATE product(numeric); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON AGGREGATE app.product(numeric) IS 'Multiplies its inputs';


--
-- Name: ===; Type: OPERATOR; Schema: app; Owner: postgres
--

CREATE OPERATOR app.=== (
    FUNCTION = app.address_eq,
    LEFTARG = app.address,
    RIGHTARG = app.address,
    COMMUTATOR = OPERATOR(app.===)
);


ALTER OPERATOR app.=== (app.address, app.address) OWNER TO postgres;

--
-- Name: heap_copy; Type: ACCESS METHOD; Schema: -; Owner: -
--

CREATE ACCESS METHOD heap_copy TYPE TABLE HANDLER heap_tableam_handler;


--
-- Name: CAST (app.address AS text); Type: CAST; Schema: -; Owner: -
--

CREATE CAST (app.address AS text) WITH INOUT;


--
-- Name: english_copy; Type: TEXT SEARCH CONFIGURATION; Schema: app; Owner: app_owner
--

CREATE TEXT SEARCH CONFIGURATION app.english_copy (
    PARSER = pg_catalog."default" );

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR asciiword WITH english_stem;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR word WITH english_stem;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR numword WITH simple;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR email WITH simple;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR url WITH simple;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR host WITH simple;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR sfloat WITH simple;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR version WITH simple;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR hword_numpart WITH simple;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR hword_part WITH english_stem;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR hword_asciipart WITH english_stem;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR numhword WITH simple;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR asciihword WITH english_stem;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR hword WITH english_stem;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR url_path WITH simple;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR file WITH simple;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR "float" WITH simple;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR "int" WITH simple;

ALTER TEXT SEARCH CONFIGURATION app.english_copy
    ADD MAPPING FOR uint WITH simple;


ALTER TEXT SEARCH CONFIGURATION app.english_copy OWNER TO app_owner;

--
-- Name: fixture_fdw; Type: FOREIGN DATA WRAPPER; Schema: -; Owner: postgres
--

CREATE FOREIGN DATA WRAPPER fixture_fdw;


ALTER FOREIGN DATA WRAPPER fixture_fdw OWNER TO postgres;

--
-- Name: fixture_server; Type: SERVER; Schema: -; Owner: postgres
--

CREATE SERVER fixture_server FOREIGN DATA WRAPPER fixture_fdw OPTIONS (
    host 'nowhere.invalid'
);


ALTER SERVER fixture_server OWNER TO postgres;

--
-- Name: USER MAPPING app_owner SERVER fixture_server; Type: USER MAPPING; Schema: -; Owner: postgres
--

CREATE USER MAPPING FOR app_owner SERVER fixture_server OPTIONS (
    password 'x',
    "user" 'remote'
);


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
-- Name: regions; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.regions (
    code text NOT NULL,
    name text
)
PARTITION BY LIST (code);


ALTER TABLE app.regions OWNER TO app_owner;

--
-- Name: Regions EU; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app."Regions EU" (
    code text NOT NULL,
    name text
);
ALTER TABLE ONLY app.regions ATTACH PARTITION app."Regions EU" FOR VALUES IN ('de', 'fr', 'it');


ALTER TABLE app."Regions EU" OWNER TO app_owner;

--
-- Name: all_types; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.all_types (
    id integer NOT NULL,
    c_smallint smallint,
    c_integer integer,
    c_bigint bigint,
    c_numeric numeric(20,6),
    c_numeric_any numeric,
    c_real real,
    c_double double precision,
    c_bool boolean,
    c_text text,
    c_varchar character varying(40),
    c_char character(5),
    c_bytea bytea,
    c_json json,
    c_jsonb jsonb,
    c_int_array integer[],
    c_text_array text[],
    c_date date,
    c_time time without time zone,
    c_timestamp timestamp without time zone,
    c_timestamptz timestamp with time zone,
    c_interval interval,
    c_uuid uuid,
    c_inet inet,
    c_bit bit(8),
    c_point point,
    c_money money,
    c_mood app.mood,
    c_address app.address,
    c_email app.email,
    c_int4range int4range,
    c_floatrange app.floatrange,
    c_collated text COLLATE app.c_copy
);


ALTER TABLE app.all_types OWNER TO app_owner;

--
-- Name: TABLE all_types; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON TABLE app.all_types IS 'One column per common type.
Second line of the comment, with a tab:	and a backslash: \';


--
-- Name: COLUMN all_types.c_bytea; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON COLUMN app.all_types.c_bytea IS 'Binary data';


--
-- Name: all_types_id_seq; Type: SEQUENCE; Schema: app; Owner: app_owner
--

ALTER TABLE app.all_types ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME app.all_types_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


SET default_tablespace = fixture_space;

--
-- Name: archived_orders; Type: TABLE; Schema: app; Owner: app_owner; Tablespace: fixture_space
--

CREATE TABLE app.archived_orders (
    order_id bigint NOT NULL,
    invoice_no bigint NOT NULL,
    customer_id integer NOT NULL,
    ordered_at timestamp with time zone NOT NULL,
    total numeric(12,2) NOT NULL,
    status text NOT NULL,
    note text,
    version integer NOT NULL
);


ALTER TABLE app.archived_orders OWNER TO app_owner;

SET default_tablespace = '';

--
-- Name: customers; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.customers (
    customer_id integer NOT NULL,
    name text NOT NULL,
    email app.email,
    mood app.mood DEFAULT 'ok'::app.mood,
    address app.address,
    name_upper text GENERATED ALWAYS AS (upper(name)) STORED,
    CONSTRAINT customers_name_check CHECK ((length(name) > 0))
);

ALTER TABLE ONLY app.customers FORCE ROW LEVEL SECURITY;


ALTER TABLE app.customers OWNER TO app_owner;

--
-- Name: TABLE customers; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON TABLE app.customers IS 'Customers';


--
-- Name: COLUMN customers.name_upper; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON COLUMN app.customers.name_upper IS 'Generated: upper(name)';


--
-- Name: CONSTRAINT customers_name_check ON customers; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON CONSTRAINT customers_name_check ON app.customers IS 'Names must not be empty';


--
-- Name: customers_customer_id_seq; Type: SEQUENCE; Schema: app; Owner: app_owner
--

ALTER TABLE app.customers ALTER COLUMN customer_id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.customers_customer_id_seq
    START WITH 100
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: cycling_seq; Type: SEQUENCE; Schema: app; Owner: app_owner
--

CREATE SEQUENCE app.cycling_seq
    AS smallint
    START WITH 5
    INCREMENT BY -1
    MINVALUE 1
    MAXVALUE 5
    CACHE 1
    CYCLE;


ALTER SEQUENCE app.cycling_seq OWNER TO app_owner;

--
-- Name: employees; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.employees (
    employee_id integer NOT NULL,
    manager_id integer,
    name text NOT NULL,
    salary numeric(10,2)
);

ALTER TABLE ONLY app.employees REPLICA IDENTITY FULL;


ALTER TABLE app.employees OWNER TO app_owner;

--
-- Name: empty_table; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.empty_table (
    id integer NOT NULL,
    payload text
);


ALTER TABLE app.empty_table OWNER TO app_owner;

--
-- Name: events; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.events (
    event_id integer NOT NULL,
    kind smallint NOT NULL,
    tag character(6) NOT NULL
);


ALTER TABLE app.events OWNER TO app_owner;

--
-- Name: invoice_no_seq; Type: SEQUENCE; Schema: app; Owner: app_owner
--

CREATE SEQUENCE app.invoice_no_seq
    START WITH 1000
    INCREMENT BY 10
    MINVALUE 1000
    MAXVALUE 999999990
    CACHE 1;


ALTER SEQUENCE app.invoice_no_seq OWNER TO app_owner;

--
-- Name: SEQUENCE invoice_no_seq; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON SEQUENCE app.invoice_no_seq IS 'Invoice numbers';


--
-- Name: measurements; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.measurements (
    sensor_id integer NOT NULL,
    taken_on date NOT NULL,
    value double precision
)
PARTITION BY RANGE (taken_on);


ALTER TABLE app.measurements OWNER TO app_owner;

--
-- Name: TABLE measurements; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON TABLE app.measurements IS 'Partitioned by range of taken_on';


--
-- Name: measurements_2023; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.measurements_2023 (
    sensor_id integer NOT NULL,
    taken_on date NOT NULL,
    value double precision
);
ALTER TABLE ONLY app.measurements ATTACH PARTITION app.measurements_2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');


ALTER TABLE app.measurements_2023 OWNER TO app_owner;

--
-- Name: measurements_2024; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.measurements_2024 (
    sensor_id integer NOT NULL,
    taken_on date NOT NULL,
    value double precision
)
PARTITION BY HASH (sensor_id);
ALTER TABLE ONLY app.measurements ATTACH PARTITION app.measurements_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');


ALTER TABLE app.measurements_2024 OWNER TO app_owner;

--
-- Name: measurements_2024_h0; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.measurements_2024_h0 (
    sensor_id integer NOT NULL,
    taken_on date NOT NULL,
    value double precision
);
ALTER TABLE ONLY app.measurements_2024 ATTACH PARTITION app.measurements_2024_h0 FOR VALUES WITH (modulus 2, remainder 0);


ALTER TABLE app.measurements_2024_h0 OWNER TO app_owner;

--
-- Name: measurements_2024_h1; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.measurements_2024_h1 (
    sensor_id integer NOT NULL,
    taken_on date NOT NULL,
    value double precision
);
ALTER TABLE ONLY app.measurements_2024 ATTACH PARTITION app.measurements_2024_h1 FOR VALUES WITH (modulus 2, remainder 1);


ALTER TABLE app.measurements_2024_h1 OWNER TO app_owner;

--
-- Name: measurements_default; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.measurements_default (
    sensor_id integer NOT NULL,
    taken_on date NOT NULL,
    value double precision
);
ALTER TABLE ONLY app.measurements ATTACH PARTITION app.measurements_default DEFAULT;


ALTER TABLE app.measurements_default OWNER TO app_owner;

--
-- Name: orders; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.orders (
    order_id bigint NOT NULL,
    invoice_no bigint DEFAULT nextval('app.invoice_no_seq'::regclass) NOT NULL,
    customer_id integer NOT NULL,
    ordered_at timestamp with time zone NOT NULL,
    total numeric(12,2) DEFAULT 0 NOT NULL,
    status text DEFAULT 'new'::text NOT NULL,
    note text,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT orders_status_check CHECK ((status = ANY (ARRAY['new'::text, 'paid'::text, 'shipped'::text, 'cancelled'::text]))),
    CONSTRAINT orders_total_check CHECK ((total >= (0)::numeric))
)
WITH (fillfactor='90');


ALTER TABLE app.orders OWNER TO app_owner;

--
-- Name: monthly_sales; Type: MATERIALIZED VIEW; Schema: app; Owner: app_owner
--

CREATE MATERIALIZED VIEW app.monthly_sales AS
 SELECT date_trunc('month'::text, orders.ordered_at) AS month,
    count(*) AS n,
    sum(orders.total) AS total
   FROM app.orders
  GROUP BY (date_trunc('month'::text, orders.ordered_at))
  WITH NO DATA;


ALTER MATERIALIZED VIEW app.monthly_sales OWNER TO app_owner;

--
-- Name: MATERIALIZED VIEW monthly_sales; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON MATERIALIZED VIEW app.monthly_sales IS 'Refreshed on restore';


--
-- Name: never_refreshed; Type: MATERIALIZED VIEW; Schema: app; Owner: postgres
--

CREATE MATERIALIZED VIEW app.never_refreshed AS
 SELECT 1 AS one
  WITH NO DATA;


ALTER MATERIALIZED VIEW app.never_refreshed OWNER TO postgres;

--
-- Name: new line; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app."new
line" (
    x integer
);


ALTER TABLE app."new
line" OWNER TO postgres;

--
-- Name: no_columns; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.no_columns (
);


ALTER TABLE app.no_columns OWNER TO app_owner;

--
-- Name: order; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app."order" (
    "user" text,
    "group" integer
);


ALTER TABLE app."order" OWNER TO postgres;

--
-- Name: order_lines; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.order_lines (
    order_id bigint NOT NULL,
    line_no smallint NOT NULL,
    product text NOT NULL,
    quantity integer NOT NULL,
    unit_price numeric(10,2) NOT NULL,
    CONSTRAINT order_lines_quantity_check CHECK ((quantity > 0))
);


ALTER TABLE app.order_lines OWNER TO app_owner;

--
-- Name: order_totals; Type: VIEW; Schema: app; Owner: app_owner
--

CREATE VIEW app.order_totals AS
 SELECT c.customer_id,
    c.name,
    count(o.order_id) AS n_orders,
    sum(o.total) AS total
   FROM (app.customers c
     LEFT JOIN app.orders o USING (customer_id))
  GROUP BY c.customer_id, c.name;


ALTER VIEW app.order_totals OWNER TO app_owner;

--
-- Name: VIEW order_totals; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON VIEW app.order_totals IS 'Per-customer totals';


--
-- Name: orders_order_id_seq; Type: SEQUENCE; Schema: app; Owner: app_owner
--

CREATE SEQUENCE app.orders_order_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER SEQUENCE app.orders_order_id_seq OWNER TO app_owner;

--
-- Name: orders_order_id_seq; Type: SEQUENCE OWNED BY; Schema: app; Owner: app_owner
--

ALTER SEQUENCE app.orders_order_id_seq OWNED BY app.orders.order_id;


SET default_table_access_method = heap_copy;

--
-- Name: other_am; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.other_am (
    id integer,
    v text
);


ALTER TABLE app.other_am OWNER TO app_owner;

--
-- Name: paid_orders; Type: VIEW; Schema: app; Owner: postgres
--

CREATE VIEW app.paid_orders WITH (security_barrier='true') AS
 SELECT orders.order_id,
    orders.invoice_no,
    orders.customer_id,
    orders.ordered_at,
    orders.total,
    orders.status,
    orders.note,
    orders.version
   FROM app.orders
  WHERE (orders.status = 'paid'::text)
  WITH CASCADED CHECK OPTION;


ALTER VIEW app.paid_orders OWNER TO postgres;

SET default_table_access_method = heap;

--
-- Name: regions_other; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.regions_other (
    code text NOT NULL,
    name text
);
ALTER TABLE ONLY app.regions ATTACH PARTITION app.regions_other FOR VALUES IN ('us', 'jp');


ALTER TABLE app.regions_other OWNER TO app_owner;

--
-- Name: remote_things; Type: FOREIGN TABLE; Schema: app; Owner: postgres
--

CREATE FOREIGN TABLE app.remote_things (
    id integer,
    name text
)
SERVER fixture_server
OPTIONS (
    table_name 'things'
);


ALTER FOREIGN TABLE app.remote_things OWNER TO postgres;

--
-- Name: sensor_notes; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.sensor_notes (
    sensor_id integer,
    taken_on date,
    note text
);


ALTER TABLE app.sensor_notes OWNER TO app_owner;

--
-- Name: unlogged_cache; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE UNLOGGED TABLE app.unlogged_cache (
    k text NOT NULL,
    v jsonb
);


ALTER TABLE app.unlogged_cache OWNER TO app_owner;

--
-- Name: vehicles; Type: TABLE; Schema: history; Owner: postgres
--

CREATE TABLE history.vehicles (
    vehicle_id integer NOT NULL,
    maker text NOT NULL,
    built smallint,
    CONSTRAINT vehicles_built_check CHECK ((built > 1880))
);


ALTER TABLE history.vehicles OWNER TO postgres;

--
-- Name: cars; Type: TABLE; Schema: history; Owner: postgres
--

CREATE TABLE history.cars (
    doors smallint DEFAULT 4
)
INHERITS (history.vehicles);


ALTER TABLE history.cars OWNER TO postgres;

--
-- Name: TABLE cars; Type: COMMENT; Schema: history; Owner: postgres
--

COMMENT ON TABLE history.cars IS 'Inherits from history.vehicles';


--
-- Name: trucks; Type: TABLE; Schema: history; Owner: postgres
--

CREATE TABLE history.trucks (
    payload_kg integer
)
INHERITS (history.vehicles);


ALTER TABLE history.trucks OWNER TO postgres;

--
-- Name: orders order_id; Type: DEFAULT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.orders ALTER COLUMN order_id SET DEFAULT nextval('app.orders_order_id_seq'::regclass);


--
-- Name: 16736; Type: BLOB; Schema: -; Owner: postgres
--

SELECT pg_catalog.lo_create('16736');


ALTER LARGE OBJECT 16736 OWNER TO postgres;

--
-- Name: LARGE OBJECT 16736; Type: COMMENT; Schema: -; Owner: postgres
--

COMMENT ON LARGE OBJECT 16736 IS 'A small large object';


--
-- Name: 16737; Type: BLOB; Schema: -; Owner: app_owner
--

SELECT pg_catalog.lo_create('16737');


ALTER LARGE OBJECT 16737 OWNER TO app_owner;

--
-- Name: LARGE OBJECT 16737; Type: COMMENT; Schema: -; Owner: app_owner
--

COMMENT ON LARGE OBJECT 16737 IS 'Owned by app_owner, readable by "Report Reader"\';


--
-- Name: 16738; Type: BLOB; Schema: -; Owner: postgres
--

SELECT pg_catalog.lo_create('16738');


ALTER LARGE OBJECT 16738 OWNER TO postgres;

--
-- Name: 16739; Type: BLOB; Schema: -; Owner: postgres
--

SELECT pg_catalog.lo_create('16739');


ALTER LARGE OBJECT 16739 OWNER TO postgres;

--
-- Name: SCHEMA "Odd ""Schema"" Name"; Type: ACL; Schema: -; Owner: postgres
--

GRANT USAGE ON SCHEMA "Odd ""Schema"" Name" TO PUBLIC;


--
-- Name: SCHEMA app; Type: ACL; Schema: -; Owner: app_owner
--

GRANT USAGE ON SCHEMA app TO "Report Reader";


--
-- Name: SCHEMA extensions; Type: ACL; Schema: -; Owner: postgres
--

GRANT USAGE ON SCHEMA extensions TO app_owner;


--
-- Name: TYPE email; Type: ACL; Schema: app; Owner: app_owner
--

REVOKE ALL ON TYPE app.email FROM PUBLIC;


--
-- Name: TYPE mood; Type: ACL; Schema: app; Owner: app_owner
--

GRANT ALL ON TYPE app.mood TO "Report Reader";


--
-- Name: FUNCTION add_tax(amount numeric, rate numeric); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.add_tax(amount numeric, rate numeric) FROM PUBLIC;
GRANT ALL ON FUNCTION app.add_tax(amount numeric, rate numeric) TO "Report Reader" WITH GRANT OPTION;


--
-- Name: FOREIGN SERVER fixture_server; Type: ACL; Schema: -; Owner: postgres
--

GRANT ALL ON FOREIGN SERVER fixture_server TO app_owner;


--
-- Name: TABLE "Table With Spaces"; Type: ACL; Schema: Odd "Schema" Name; Owner: postgres
--

GRANT ALL ON TABLE "Odd ""Schema"" Name"."Table With Spaces" TO app_owner;


--
-- Name: TABLE regions; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.regions TO "Report Reader";


--
-- Name: TABLE "Regions EU"; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app."Regions EU" TO "Report Reader";


--
-- Name: TABLE all_types; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.all_types TO "Report Reader";


--
-- Name: TABLE archived_orders; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.archived_orders TO "Report Reader";


--
-- Name: TABLE customers; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.customers TO "Report Reader";


--
-- Name: COLUMN customers.customer_id; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT(customer_id) ON TABLE app.customers TO "Report Reader";


--
-- Name: COLUMN customers.name; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT(name) ON TABLE app.customers TO "Report Reader";


--
-- Name: COLUMN customers.email; Type: ACL; Schema: app; Owner: app_owner
--

GRANT UPDATE(email) ON TABLE app.customers TO "Report Reader";


--
-- Name: TABLE employees; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.employees TO "Report Reader";


--
-- Name: TABLE empty_table; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.empty_table TO "Report Reader";


--
-- Name: TABLE events; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.events TO "Report Reader";


--
-- Name: SEQUENCE invoice_no_seq; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT,USAGE ON SEQUENCE app.invoice_no_seq TO "Report Reader";


--
-- Name: TABLE measurements; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.measurements TO "Report Reader";


--
-- Name: TABLE measurements_2023; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.measurements_2023 TO "Report Reader";


--
-- Name: TABLE measurements_2024; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.measurements_2024 TO "Report Reader";


--
-- Name: TABLE measurements_2024_h0; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.measurements_2024_h0 TO "Report Reader";


--
-- Name: TABLE measurements_2024_h1; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.measurements_2024_h1 TO "Report Reader";


--
-- Name: TABLE measurements_default; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.measurements_default TO "Report Reader";


--
-- Name: TABLE orders; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE app.orders TO "Report Reader";


--
-- Name: TABLE monthly_sales; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.monthly_sales TO "Report Reader";


--
-- Name: TABLE never_refreshed; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.never_refreshed TO "Report Reader";


--
-- Name: TABLE "new line"; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app."new
line" TO "Report Reader";


--
-- Name: TABLE no_columns; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.no_columns TO "Report Reader";


--
-- Name: TABLE "order"; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app."order" TO "Report Reader";


--
-- Name: TABLE order_lines; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.order_lines TO "Report Reader";


--
-- Name: TABLE order_totals; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.order_totals TO "Report Reader";


--
-- Name: TABLE other_am; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.other_am TO "Report Reader";


--
-- Name: TABLE paid_orders; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.paid_orders TO "Report Reader";


--
-- Name: TABLE regions_other; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.regions_other TO "Report Reader";


--
-- Name: TABLE remote_things; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.remote_things TO "Report Reader";


--
-- Name: TABLE sensor_notes; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.sensor_notes TO "Report Reader";


--
-- Name: TABLE unlogged_cache; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.unlogged_cache TO "Report Reader";


--
-- Name: TABLE settings; Type: ACL; Schema: extensions; Owner: postgres
--

GRANT SELECT ON TABLE extensions.settings TO "Report Reader";


--
-- Name: LARGE OBJECT 16737; Type: ACL; Schema: -; Owner: app_owner
--

GRANT SELECT ON LARGE OBJECT 16737 TO "Report Reader";


--
-- PostgreSQL database dump complete
--

\unrestrict TESTKEY

