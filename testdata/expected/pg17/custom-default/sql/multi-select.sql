--
-- PostgreSQL database dump
--

\restrict TESTKEY

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 17.10

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
    RETURN round((amount * ((1)::numeric + rate)), 2);


ALTER FUNCTION app.add_tax(amount numeric, rate numeric) OWNER TO postgres;

--
-- Name: FUNCTION add_tax(amount numeric, rate numeric); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.add_tax(amount numeric, rate numeric) IS 'Adds tax; default rate 19%';


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


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: customers; Type: TABLE; Schema: app; Owner: app_owner
--

CREATE TABLE app.customers (
    customer_id integer NOT NULL,
    name text NOT NULL,
    email app.email,
    mood app.mood DEFAULT 'ok'::app.mood,
    score app.positive_int,
    name_upper text GENERATED ALWAYS AS (upper(name)) STORED,
    address app.address,
    attrs extensions.hstore,
    password_hash text,
    CONSTRAINT customers_name_check CHECK ((length(name) > 0))
);

ALTER TABLE ONLY app.customers FORCE ROW LEVEL SECURITY;


ALTER TABLE app.customers OWNER TO app_owner;

--
-- Name: TABLE customers; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON TABLE app.customers IS 'Customers (identity + generated column)';


--
-- Name: COLUMN customers.name_upper; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON COLUMN app.customers.name_upper IS 'Generated: upper(name)';


--
-- Name: CONSTRAINT customers_name_check ON customers; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON CONSTRAINT customers_name_check ON app.customers IS 'Names must not be empty';


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
-- Name: COLUMN order_totals.n_orders; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON COLUMN app.order_totals.n_orders IS 'Number of orders';


--
-- Data for Name: customers; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.customers (customer_id, name, email, mood, score, address, attrs, password_hash) FROM stdin;
100	customer 1	c1@example.com	ok	2	("1 Main St",Springfield,00001)	"tier"=>"1", "since"=>"2001"	5b11618c2e44027877d0cd0921ed166b9f176f50587fc91e7534dd2946db77d6
101	customer 2	c2@example.com	happy	3	("2 Main St",Springfield,00002)	"tier"=>"2", "since"=>"2002"	35224d0d3465d74e855f8d69a136e79c744ea35a675d3393360a327cbf6359a2
102	customer 3	c3@example.com	très "bien"	4	("3 Main St",Zürich,00003)	"tier"=>"0", "since"=>"2003"	e0d9ac7d3719d04d3d68bc463498b0889723c4e70c3549d43681dd8996b7177f
103	customer 4	c4@example.com	sad	5	("4 Main St",Springfield,00004)	"tier"=>"1", "since"=>"2004"	fe2d033fef7942ed06d418992d35ca98feb53943d452f5994f96934d754e15cb
104	customer 5	c5@example.com	ok	6	("5 Main St",Springfield,00005)	"tier"=>"2", "since"=>"2005"	19aa8a9a65d501367caed454cfe1c6fce944dc26df6b20f6fdbec80fd747312d
105	customer 6	c6@example.com	happy	7	("6 Main St",Zürich,00006)	"tier"=>"0", "since"=>"2006"	9557483ec0b5979e7f07ff55f2bde181e6fa60473cb322bf429a444080660b84
106	customer 7	c7@example.com	très "bien"	8	("7 Main St",Springfield,00007)	"tier"=>"1", "since"=>"2007"	5c5b5202833fb1b8653184f73b2b4e40ac7b7e6ebab843a157c9bf992755be42
107	customer 8	c8@example.com	sad	9	("8 Main St",Springfield,00008)	"tier"=>"2", "since"=>"2008"	7936b86b425e5c2f8c0f9b0369a032c19ed27d05978b6227b2388af83cf88deb
108	customer 9	c9@example.com	ok	10	("9 Main St",Zürich,00009)	"tier"=>"0", "since"=>"2009"	b68bebd022a0ce3230cfc31bc91281ca2526ed12a5d7c671a0ee223ceba9d33d
109	customer 10	c10@example.com	happy	1	("10 Main St",Springfield,00010)	"tier"=>"1", "since"=>"2010"	788d3288f45a1f0fe88d760a7883637a2838741b713a91f18fb9f6537d784ad7
110	customer 11	c11@example.com	très "bien"	2	("11 Main St",Springfield,00011)	"tier"=>"2", "since"=>"2011"	8bf236717150921fd7ad7d2ab23b233c8fd2744214d202038436c857897135d5
111	customer 12	c12@example.com	sad	3	("12 Main St",Zürich,00012)	"tier"=>"0", "since"=>"2012"	3de9273e88d1153033fccc7574cc168a51022a55738bff6727ae581e8c19380f
112	customer 13	c13@example.com	ok	4	("13 Main St",Springfield,00013)	"tier"=>"1", "since"=>"2013"	8aab0a50a3754e7cd8bff04eca9a84edf4cb43fd83e57f4fc409608c005f06b9
113	customer 14	c14@example.com	happy	5	("14 Main St",Springfield,00014)	"tier"=>"2", "since"=>"2014"	5784fe70d77662385144711e686a0e878734348c24e64d0c56a21b73daddbf96
114	customer 15	c15@example.com	très "bien"	6	("15 Main St",Zürich,00015)	"tier"=>"0", "since"=>"2015"	5bd398daf0e3ba74bc18af43eb06e3d6a9b0cb49cf0f9ce0e0919313b707096b
115	customer 16	c16@example.com	sad	7	("16 Main St",Springfield,00016)	"tier"=>"1", "since"=>"2016"	8032871f4d749904bdcb13781c8bed6620348db578a66227f94533c9545ec3a5
116	customer 17	c17@example.com	ok	8	("17 Main St",Springfield,00017)	"tier"=>"2", "since"=>"2017"	62b7f7dd195dfcdca7e8d0d8587b8c56636291409da4da0998ccbf2541db3683
117	customer 18	c18@example.com	happy	9	("18 Main St",Zürich,00018)	"tier"=>"0", "since"=>"2018"	4db1d1740dd9fb0b9a2ec5d9742e1e2111700304645c5f7f1a71eef3aa9eadc1
118	customer 19	c19@example.com	très "bien"	10	("19 Main St",Springfield,00019)	"tier"=>"1", "since"=>"2019"	24a983f0784c494092794cc330a37505e9132a07689b1a4a8c1a7388cb98986c
119	customer 20	c20@example.com	sad	1	("20 Main St",Springfield,00020)	"tier"=>"2", "since"=>"2020"	633950421c628d9b9778bc7dcb8c2c93b36c0ee39b9ea37216d98eef5c74be2f
\.


--
-- Name: invoice_no_seq; Type: SEQUENCE SET; Schema: app; Owner: app_owner
--

SELECT pg_catalog.setval('app.invoice_no_seq', 1830, true);


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

CREATE TRIGGER orders_bump_version BEFORE UPDATE ON app.orders FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION app.bump_version();


--
-- Name: TRIGGER orders_bump_version ON orders; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON TRIGGER orders_bump_version ON app.orders IS 'Increments version on update';


--
-- Name: orders orders_log; Type: TRIGGER; Schema: app; Owner: app_owner
--

CREATE TRIGGER orders_log AFTER INSERT OR DELETE ON app.orders FOR EACH STATEMENT EXECUTE FUNCTION app.log_statement();

ALTER TABLE app.orders DISABLE TRIGGER orders_log;


--
-- Name: FUNCTION add_tax(amount numeric, rate numeric); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.add_tax(amount numeric, rate numeric) FROM PUBLIC;
GRANT ALL ON FUNCTION app.add_tax(amount numeric, rate numeric) TO "Report Reader" WITH GRANT OPTION;


--
-- Name: SEQUENCE invoice_no_seq; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT,USAGE ON SEQUENCE app.invoice_no_seq TO "Report Reader";


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

