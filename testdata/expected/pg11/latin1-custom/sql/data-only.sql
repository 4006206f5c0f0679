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
-- Data for Name: Awkward "Table", Name; Type: TABLE DATA; Schema: app; Owner: postgres
--

COPY app."Awkward ""Table"", Name" ("ID", "Text ""Value""", "select", "naïve numeric", c_bytea, c_timestamp, c_timestamptz, c_date, c_int_array, c_text_array, c_double, c_json, c_char) FROM stdin;
1	plain	t	1.5	\\x00ff	2024-02-29 13:37:00.123456	2024-02-29 12:37:00.5+00	2024-02-29	{1,2,3}	{a,b}	2.25	{"a": 1}	abcd
2	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N
3		f	0	\\x	1970-01-01 00:00:00	1970-01-01 00:00:00+00	1970-01-01	{}	{}	0	""	    
4	it's "quoted": ' and "" and '' doubled	t	-0.000001	\\x27225c	2000-01-01 00:00:00	2000-01-01 06:30:00+00	2000-01-01	{-1,0,1}	{it's,"say \\"hi\\""}	0	{"q": "it's \\"x\\""}	'"  
5	back\\slash, \\N, \\\\ two, \\. alone and \\x41	f	99999999999999999999.999999	\\x5c5c4e	0044-03-15 12:00:00 BC	0044-03-15 12:00:00+00 BC	0044-03-15 BC	{NULL,7}	{"back\\\\slash","\\\\N",NULL,"NULL",""}	1.00000000000000003e-300	{"b": "\\\\"}	\\\\  
6	line 1\nline 2\ttab\r\nCRLF\rCR\n	t	NaN	\\x0a0d09	infinity	-infinity	infinity	{2147483647,-2147483648}	{"a\nb","c\td","e f",",",;}	Infinity	"line\\nbreak"	a\tb 
7	café naïve Straße ñ © µ ÿ «guillemets» nbsp: 	\N	0.000000000000000000000000000001	\\x636166c3a9	2024-12-31 23:59:59.999999	2025-01-01 11:59:59.999999+00	2024-12-31	{{1,2},{3,4}}	{é,ü,ß}	-Infinity	{"k": "ñ"}	ñÿ  
8	\\.	f	-123456789.123456789	\\x5c2e0a	2001-02-03 04:05:06	2001-02-03 04:05:06+00	2001-02-03	{0}	{"\\\\\\\\."}	NaN	null	NULL
9	NULL	t	1	\\x4e554c4c	2001-02-03 04:05:06.7	2001-02-03 04:05:06.7+00	2001-02-03	{9}	{NULL}	-1.50000000000000008e+300	[]	\\N  
\.


--
-- Data for Name: empty_table; Type: TABLE DATA; Schema: app; Owner: postgres
--

COPY app.empty_table (id, payload) FROM stdin;
\.


--
-- Data for Name: no_columns; Type: TABLE DATA; Schema: app; Owner: postgres
--

COPY app.no_columns  FROM stdin;


\.


--
-- Data for Name: series; Type: TABLE DATA; Schema: app; Owner: postgres
--

COPY app.series (id, label, flag) FROM stdin;
1	row 1	f
2	row 2	t
3	row 3 with ' quote	f
4	row 4	\N
5	row 5	f
6	row 6 with ' quote	t
7	row 7	f
8	row 8	\N
9	row 9 with ' quote	f
10	row 10	t
\.


--
-- Name: series_id_seq; Type: SEQUENCE SET; Schema: app; Owner: postgres
--

SELECT pg_catalog.setval('app.series_id_seq', 10, true);


--
-- PostgreSQL database dump complete
--

\unrestrict TESTKEY

