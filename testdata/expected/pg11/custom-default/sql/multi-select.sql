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
    CONSTRAINT customers_name_check CHECK ((length(name) > 0))
);

ALTER TABLE ONLY app.customers FORCE ROW LEVEL SECURITY;


ALTER TABLE app.customers OWNER TO app_owner;

--
-- Name: TABLE customers; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON TABLE app.customers IS 'Customers';


--
-- Name: CONSTRAINT customers_name_check ON customers; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON CONSTRAINT customers_name_check ON app.customers IS 'Names must not be empty';


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
-- Data for Name: customers; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.customers (customer_id, name, email, mood, address) FROM stdin;
100	customer 1	c1@example.com	ok	("1 Main St",Springfield,00001)
101	customer 2	c2@example.com	happy	("2 Main St",Springfield,00002)
102	customer 3	c3@example.com	très "bien"	("3 Main St",Zürich,00003)
103	customer 4	c4@example.com	sad	("4 Main St",Springfield,00004)
104	customer 5	c5@example.com	ok	("5 Main St",Springfield,00005)
105	customer 6	c6@example.com	happy	("6 Main St",Zürich,00006)
106	customer 7	c7@example.com	très "bien"	("7 Main St",Springfield,00007)
107	customer 8	c8@example.com	sad	("8 Main St",Springfield,00008)
108	customer 9	c9@example.com	ok	("9 Main St",Zürich,00009)
109	customer 10	c10@example.com	happy	("10 Main St",Springfield,00010)
110	customer 11	c11@example.com	très "bien"	("11 Main St",Springfield,00011)
111	customer 12	c12@example.com	sad	("12 Main St",Zürich,00012)
\.


--
-- Name: invoice_no_seq; Type: SEQUENCE SET; Schema: app; Owner: app_owner
--

SELECT pg_catalog.setval('app.invoice_no_seq', 1530, true);


--
-- Name: orders_open_idx; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE INDEX orders_open_idx ON app.orders USING btree (ordered_at DESC NULLS LAST) WHERE (status <> 'cancelled'::text);


--
-- Name: INDEX orders_open_idx; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON INDEX app.orders_open_idx IS 'Partial index on open orders';


--
-- Name: orders orders_bump_version; Type: TRIGGER; Schema: app; Owner: app_owner
--

CREATE TRIGGER orders_bump_version BEFORE UPDATE ON app.orders FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE PROCEDURE app.bump_version();


--
-- Name: TRIGGER orders_bump_version ON orders; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON TRIGGER orders_bump_version ON app.orders IS 'Increments version on update';


--
-- Name: orders orders_log; Type: TRIGGER; Schema: app; Owner: app_owner
--

CREATE TRIGGER orders_log AFTER INSERT OR DELETE ON app.orders FOR EACH STATEMENT EXECUTE PROCEDURE app.log_statement();

ALTER TABLE app.orders DISABLE TRIGGER orders_log;


--
-- Name: FUNCTION add_tax(amount numeric, rate numeric); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.add_tax(amount numeric, rate numeric) FROM PUBLIC;
GRANT ALL ON FUNCTION app.add_tax(amount numeric, rate numeric) TO "Report Reader" WITH GRANT OPTION;


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
-- Name: SEQUENCE invoice_no_seq; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT,USAGE ON SEQUENCE app.invoice_no_seq TO "Report Reader";


--
-- Name: TABLE monthly_sales; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.monthly_sales TO "Report Reader";


--
-- Name: TABLE order_totals; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT ON TABLE app.order_totals TO "Report Reader";


--
-- Name: monthly_sales; Type: MATERIALIZED VIEW DATA; Schema: app; Owner: app_owner
--

REFRESH MATERIALIZED VIEW app.monthly_sales;


--
-- PostgreSQL database dump complete
--

\unrestrict TESTKEY

