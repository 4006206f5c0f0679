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

SET default_tablespace = '';

SET default_table_access_method = heap;

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
-- Data for Name: orders; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.orders (order_id, invoice_no, customer_id, ordered_at, total, status, note, version) FROM stdin;
1	1240	101	2024-01-01 07:13:00+00	37.01	paid	note c4ca4238a0b923820dcc509a6f75849b	1
2	1250	102	2024-01-01 14:26:00+00	74.02	shipped	note c81e728d9d4c2f636f067f89cc14862c	1
5	1280	105	2024-01-02 12:05:00+00	185.05	paid	\N	1
6	1290	106	2024-01-02 19:18:00+00	222.06	shipped	note 1679091c5a880faf6fb5e6087eb1b2dc	1
7	1300	107	2024-01-03 02:31:00+00	259.07	cancelled		1
8	1310	108	2024-01-03 09:44:00+00	296.08	new	note c9f0f895fb98ab9159f51fd0297e236d	1
9	1320	109	2024-01-03 16:57:00+00	333.09	paid	note 45c48cce2e2d7fbdea1afc51c7c6ad26	1
10	1330	110	2024-01-04 00:10:00+00	370.10	shipped	\N	1
11	1340	111	2024-01-04 07:23:00+00	407.11	cancelled	note 6512bd43d9caa6e02c990b0a82652dca	1
12	1350	100	2024-01-04 14:36:00+00	444.12	new	note c20ad4d76fe97759aa27a0c99bff6710	1
13	1360	101	2024-01-04 21:49:00+00	481.13	paid	note c51ce410c124a10e0db5e4b97fc2af39	1
14	1370	102	2024-01-05 05:02:00+00	518.14	shipped		1
15	1380	103	2024-01-05 12:15:00+00	555.15	cancelled	\N	1
16	1390	104	2024-01-05 19:28:00+00	592.16	new	note c74d97b01eae257e44aa9d5bade97baf	1
17	1400	105	2024-01-06 02:41:00+00	629.17	paid	note 70efdf2ec9b086079795c442636b55fb	1
18	1410	106	2024-01-06 09:54:00+00	666.18	shipped	note 6f4922f45568161a8cdf4ad2299f6d23	1
19	1420	107	2024-01-06 17:07:00+00	703.19	cancelled	note 1f0e3dad99908345f7439f8ffabdffc4	1
20	1430	108	2024-01-07 00:20:00+00	740.20	new	\N	1
21	1440	109	2024-01-07 07:33:00+00	777.21	paid		1
22	1450	110	2024-01-07 14:46:00+00	814.22	shipped	note b6d767d2f8ed5d21a44b0e5886680cb9	1
23	1460	111	2024-01-07 21:59:00+00	851.23	cancelled	note 37693cfc748049e45d87b8c7d8b9aacd	1
24	1470	100	2024-01-08 05:12:00+00	888.24	new	note 1ff1de774005f8da13f42943881c655f	1
25	1480	101	2024-01-08 12:25:00+00	925.25	paid	\N	1
26	1490	102	2024-01-08 19:38:00+00	962.26	shipped	note 4e732ced3463d06de0ca9a15b6153677	1
27	1500	103	2024-01-09 02:51:00+00	999.27	cancelled	note 02e74f10e0327ad868d138f2b4fdd6f0	1
28	1510	104	2024-01-09 10:04:00+00	36.28	new		1
29	1520	105	2024-01-09 17:17:00+00	73.29	paid	note 6ea9ab1baa0efb9e19094440c317e21b	1
30	1530	106	2024-01-10 00:30:00+00	110.30	shipped	\N	1
3	1260	103	2024-01-01 21:39:00+00	111.03	paid	note eccbc87e4b5ce2fe28308fd9f2a7baf3	2
4	1270	104	2024-01-02 04:52:00+00	148.04	paid	note a87ff679a2f3e71d9181a67b7542122c	2
\.


--
-- Statistics for Name: orders; Type: STATISTICS DATA; Schema: app; Owner: -
--

SELECT * FROM pg_catalog.pg_restore_relation_stats(
	'version', '130004'::integer,
	'schemaname', 'app',
	'relname', 'orders',
	'relpages', '1'::integer,
	'reltuples', '30'::real,
	'relallvisible', '0'::integer
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '130004'::integer,
	'schemaname', 'app',
	'relname', 'orders',
	'attname', 'customer_id',
	'inherited', 'f'::boolean,
	'null_frac', '0'::real,
	'avg_width', '4'::integer,
	'n_distinct', '-0.4'::real,
	'most_common_vals', '{101,102,103,104,105,106,100,107,108,109}'::text,
	'most_common_freqs', '{0.1,0.1,0.1,0.1,0.1,0.1,0.06666667,0.06666667,0.06666667,0.06666667}'::real[],
	'histogram_bounds', '{110,111}'::text,
	'correlation', '-0.011790879'::real
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '130004'::integer,
	'schemaname', 'app',
	'relname', 'orders',
	'attname', 'invoice_no',
	'inherited', 'f'::boolean,
	'null_frac', '0'::real,
	'avg_width', '8'::integer,
	'n_distinct', '-1'::real,
	'histogram_bounds', '{1240,1260,1290,1320,1350,1380,1410,1440,1470,1500,1530}'::text,
	'correlation', '0.6760845'::real
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '130004'::integer,
	'schemaname', 'app',
	'relname', 'orders',
	'attname', 'note',
	'inherited', 'f'::boolean,
	'null_frac', '0.2'::real,
	'avg_width', '31'::integer,
	'n_distinct', '-0.7'::real,
	'most_common_vals', '{""}'::text,
	'most_common_freqs', '{0.13333334}'::real[],
	'histogram_bounds', '{"note 02e74f10e0327ad868d138f2b4fdd6f0","note 1679091c5a880faf6fb5e6087eb1b2dc","note 1ff1de774005f8da13f42943881c655f","note 45c48cce2e2d7fbdea1afc51c7c6ad26","note 6512bd43d9caa6e02c990b0a82652dca","note 6f4922f45568161a8cdf4ad2299f6d23","note a87ff679a2f3e71d9181a67b7542122c","note c20ad4d76fe97759aa27a0c99bff6710","note c51ce410c124a10e0db5e4b97fc2af39","note c81e728d9d4c2f636f067f89cc14862c","note eccbc87e4b5ce2fe28308fd9f2a7baf3"}'::text,
	'correlation', '-0.12347826'::real
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '130004'::integer,
	'schemaname', 'app',
	'relname', 'orders',
	'attname', 'order_id',
	'inherited', 'f'::boolean,
	'null_frac', '0'::real,
	'avg_width', '8'::integer,
	'n_distinct', '-1'::real,
	'histogram_bounds', '{1,3,6,9,12,15,18,21,24,27,30}'::text,
	'correlation', '0.6760845'::real
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '130004'::integer,
	'schemaname', 'app',
	'relname', 'orders',
	'attname', 'ordered_at',
	'inherited', 'f'::boolean,
	'null_frac', '0'::real,
	'avg_width', '8'::integer,
	'n_distinct', '-1'::real,
	'histogram_bounds', '{"2024-01-01 07:13:00+00","2024-01-01 21:39:00+00","2024-01-02 19:18:00+00","2024-01-03 16:57:00+00","2024-01-04 14:36:00+00","2024-01-05 12:15:00+00","2024-01-06 09:54:00+00","2024-01-07 07:33:00+00","2024-01-08 05:12:00+00","2024-01-09 02:51:00+00","2024-01-10 00:30:00+00"}'::text,
	'correlation', '0.6760845'::real
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '130004'::integer,
	'schemaname', 'app',
	'relname', 'orders',
	'attname', 'status',
	'inherited', 'f'::boolean,
	'null_frac', '0'::real,
	'avg_width', '6'::integer,
	'n_distinct', '-0.13333334'::real,
	'most_common_vals', '{paid,shipped,cancelled,new}'::text,
	'most_common_freqs', '{0.33333334,0.26666668,0.2,0.2}'::real[],
	'correlation', '0.23159066'::real
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '130004'::integer,
	'schemaname', 'app',
	'relname', 'orders',
	'attname', 'total',
	'inherited', 'f'::boolean,
	'null_frac', '0'::real,
	'avg_width', '7'::integer,
	'n_distinct', '-1'::real,
	'histogram_bounds', '{36.28,73.29,111.03,222.06,333.09,444.12,555.15,666.18,777.21,888.24,999.27}'::text,
	'correlation', '0.25072303'::real
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '130004'::integer,
	'schemaname', 'app',
	'relname', 'orders',
	'attname', 'version',
	'inherited', 'f'::boolean,
	'null_frac', '0'::real,
	'avg_width', '4'::integer,
	'n_distinct', '2'::real,
	'most_common_vals', '{1,2}'::text,
	'most_common_freqs', '{0.93333334,0.06666667}'::real[],
	'correlation', '1'::real
);


--
-- Name: TABLE orders; Type: ACL; Schema: app; Owner: app_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE app.orders TO "Report Reader";


--
-- PostgreSQL database dump complete
--

\unrestrict TESTKEY

