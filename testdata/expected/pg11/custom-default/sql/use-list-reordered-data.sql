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
-- Data for Name: vehicles; Type: TABLE DATA; Schema: history; Owner: postgres
--

COPY history.vehicles (vehicle_id, maker, built) FROM stdin;
1	Benz	1886
\.


--
-- Data for Name: trucks; Type: TABLE DATA; Schema: history; Owner: postgres
--

COPY history.trucks (vehicle_id, maker, built, payload_kg) FROM stdin;
4	Daimler	1896	1500
\.


--
-- Data for Name: cars; Type: TABLE DATA; Schema: history; Owner: postgres
--

COPY history.cars (vehicle_id, maker, built, doors) FROM stdin;
2	Ford	1908	2
3	Citroën	1934	4
\.


--
-- Data for Name: settings; Type: TABLE DATA; Schema: extensions; Owner: postgres
--

COPY extensions.settings (name, value, builtin) FROM stdin;
user.theme	dark	f
user.quote	it's a \\ "quoted" value	f
user.empty		f
user.null	\N	f
\.


--
-- Data for Name: with_oids; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.with_oids (id, label) FROM stdin;
1	one
2	two\ttabs
3	\N
\.


--
-- Data for Name: unlogged_cache; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.unlogged_cache (k, v) FROM stdin;
k1	{"v": 1}
k2	null
\.


--
-- Data for Name: regions_other; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.regions_other (code, name) FROM stdin;
us	United States
jp	日本
\.


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
-- Data for Name: order_lines; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.order_lines (order_id, line_no, product, quantity, unit_price) FROM stdin;
1	1	product-6512bd	3	1.99
1	2	product-c20ad4	4	2.99
2	1	product-3c59dc	4	2.99
2	2	product-b6d767	5	4.99
3	1	product-c16a53	5	3.99
3	2	product-6364d3	1	6.99
4	1	product-3416a7	1	4.99
4	2	product-a1d0c6	2	8.99
5	1	product-283802	2	5.99
5	2	product-9a1158	3	10.99
6	1	product-7f39f8	3	6.99
6	2	product-44f683	4	12.99
7	1	product-e2c420	4	7.99
7	2	product-32bb90	5	14.99
8	1	product-43ec51	5	8.99
8	2	product-9778d5	1	16.99
9	1	product-54229a	1	9.99
9	2	product-92cc22	2	18.99
10	1	product-38b3ef	2	10.99
10	2	product-ec8956	3	20.99
11	1	product-698d51	3	11.99
11	2	product-7f6ffa	4	22.99
12	1	product-4c56ff	4	12.99
12	2	product-a0a080	5	24.99
13	1	product-1afa34	5	13.99
13	2	product-65ded5	1	26.99
14	1	product-0f28b5	1	14.99
14	2	product-a8baa5	2	28.99
15	1	product-a8f15e	2	15.99
15	2	product-37a749	3	30.99
16	1	product-bd4c9a	3	16.99
16	2	product-82aa4b	4	32.99
17	1	product-a4a042	4	17.99
17	2	product-1ff8a7	5	34.99
18	1	product-fc2213	5	18.99
18	2	product-4c5bde	1	36.99
19	1	product-0aa188	1	19.99
19	2	product-58a2fc	2	38.99
20	1	product-757b50	2	20.99
20	2	product-854d6f	3	40.99
21	1	product-eb1637	3	21.99
21	2	product-1534b7	4	42.99
22	1	product-060ad9	4	22.99
22	2	product-bcbe33	5	44.99
23	1	product-9b04d1	5	23.99
23	2	product-be83ab	1	46.99
24	1	product-f340f1	1	24.99
24	2	product-e4a622	2	48.99
25	1	product-19f3cd	2	25.99
25	2	product-03c6b0	3	0.99
26	1	product-b1a59b	3	26.99
26	2	product-36660e	4	2.99
27	1	product-7f100b	4	27.99
27	2	product-7a614f	5	4.99
28	1	product-e3796a	5	28.99
28	2	product-6a9aed	1	6.99
29	1	product-9c838d	1	29.99
29	2	product-170000	2	8.99
30	1	product-34ed06	2	30.99
30	2	product-577bcc	3	10.99
\.


--
-- Data for Name: order; Type: TABLE DATA; Schema: app; Owner: postgres
--

COPY app."order" ("user", "group") FROM stdin;
me	1
\.


--
-- Data for Name: no_columns; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.no_columns  FROM stdin;


\.


--
-- Data for Name: new line; Type: TABLE DATA; Schema: app; Owner: postgres
--

COPY app."new
line" (x) FROM stdin;
1
\.


--
-- Data for Name: measurements_default; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.measurements_default (sensor_id, taken_on, value) FROM stdin;
1	2025-01-21	101
1	2025-03-22	101.099999999999994
1	2025-05-21	101.200000000000003
2	2025-01-21	201
2	2025-03-22	201.099999999999994
2	2025-05-21	201.199999999999989
3	2025-01-21	301
3	2025-03-22	301.100000000000023
3	2025-05-21	301.199999999999989
4	2025-01-21	401
4	2025-03-22	401.100000000000023
4	2025-05-21	401.199999999999989
\.


--
-- Data for Name: measurements_2024_h1; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.measurements_2024_h1 (sensor_id, taken_on, value) FROM stdin;
3	2024-01-27	300.399999999999977
3	2024-03-27	300.5
3	2024-05-26	300.600000000000023
3	2024-07-25	300.699999999999989
3	2024-09-23	300.800000000000011
3	2024-11-22	300.899999999999977
4	2024-01-27	400.399999999999977
4	2024-03-27	400.5
4	2024-05-26	400.600000000000023
4	2024-07-25	400.699999999999989
4	2024-09-23	400.800000000000011
4	2024-11-22	400.899999999999977
\.


--
-- Data for Name: measurements_2024_h0; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.measurements_2024_h0 (sensor_id, taken_on, value) FROM stdin;
1	2024-01-27	100.400000000000006
1	2024-03-27	100.5
1	2024-05-26	100.599999999999994
1	2024-07-25	100.700000000000003
1	2024-09-23	100.799999999999997
1	2024-11-22	100.900000000000006
2	2024-01-27	200.400000000000006
2	2024-03-27	200.5
2	2024-05-26	200.599999999999994
2	2024-07-25	200.699999999999989
2	2024-09-23	200.800000000000011
2	2024-11-22	200.900000000000006
\.


--
-- Data for Name: measurements_2023; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.measurements_2023 (sensor_id, taken_on, value) FROM stdin;
1	2023-06-01	100
1	2023-07-31	100.099999999999994
1	2023-09-29	100.200000000000003
1	2023-11-28	100.299999999999997
2	2023-06-01	200
2	2023-07-31	200.099999999999994
2	2023-09-29	200.199999999999989
2	2023-11-28	200.300000000000011
3	2023-06-01	300
3	2023-07-31	300.100000000000023
3	2023-09-29	300.199999999999989
3	2023-11-28	300.300000000000011
4	2023-06-01	400
4	2023-07-31	400.100000000000023
4	2023-09-29	400.199999999999989
4	2023-11-28	400.300000000000011
\.


--
-- Data for Name: events; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.events (event_id, kind, tag) FROM stdin;
1	1	c4ca42
2	2	c81e72
3	3	eccbc8
4	4	a87ff6
5	5	e4da3b
6	6	167909
7	0	8f14e4
8	1	c9f0f8
9	2	45c48c
10	3	d3d944
11	4	6512bd
12	5	c20ad4
13	6	c51ce4
14	0	aab323
15	1	9bf31c
16	2	c74d97
17	3	70efdf
18	4	6f4922
19	5	1f0e3d
20	6	98f137
21	0	3c59dc
22	1	b6d767
23	2	37693c
24	3	1ff1de
25	4	8e296a
26	5	4e732c
27	6	02e74f
28	0	33e75f
29	1	6ea9ab
30	2	34173c
31	3	c16a53
32	4	6364d3
33	5	182be0
34	6	e36985
35	0	1c383c
36	1	19ca14
37	2	a5bfc9
38	3	a5771b
39	4	d67d8a
40	5	d64592
41	6	3416a7
42	0	a1d0c6
43	1	17e621
44	2	f71771
45	3	6c8349
46	4	d9d4f4
47	5	67c6a1
48	6	642e92
49	0	f457c5
50	1	c0c7c7
51	2	283802
52	3	9a1158
53	4	d82c8d
54	5	a684ec
55	6	b53b3a
56	0	9f6140
57	1	72b32a
58	2	66f041
59	3	093f65
60	4	072b03
61	5	7f39f8
62	6	44f683
63	0	03afdb
64	1	ea5d2f
65	2	fc490c
66	3	3295c7
67	4	735b90
68	5	a3f390
69	6	14bfa6
70	0	7cbbc4
71	1	e2c420
72	2	32bb90
73	3	d2ddea
74	4	ad61ab
75	5	d09bf4
76	6	fbd793
77	0	28dd2c
78	1	35f4a8
79	2	d1fe17
80	3	f033ab
81	4	43ec51
82	5	9778d5
83	6	fe9fc2
84	0	68d30a
85	1	3ef815
86	2	93db85
87	3	c7e124
88	4	2a38a4
89	5	764796
90	6	861398
91	0	54229a
92	1	92cc22
93	2	98dce8
94	3	f4b9ec
95	4	812b4b
96	5	26657d
97	6	e2ef52
98	0	ed3d2c
99	1	ac627a
100	2	f89913
101	3	38b3ef
102	4	ec8956
103	5	6974ce
104	6	c9e107
105	0	65b9ee
106	1	f0935e
107	2	a97da6
108	3	a3c65c
109	4	2723d0
110	5	5f93f9
111	6	698d51
112	0	7f6ffa
113	1	73278a
114	2	5fd0b3
115	3	2b4492
116	4	c45147
117	5	eb160d
118	6	5ef059
119	0	07e1cd
120	1	da4fb5
121	2	4c56ff
122	3	a0a080
123	4	202cb9
124	5	c8ffe9
125	6	3def18
126	0	069059
127	1	ec5dec
128	2	76dc61
129	3	d1f491
130	4	9b8619
131	5	1afa34
132	6	65ded5
133	0	9fc3d7
134	1	02522a
135	2	7f1de2
136	3	42a0e1
137	4	3988c7
138	5	013d40
139	6	e00da0
140	0	138597
141	1	0f28b5
142	2	a8baa5
143	3	903ce9
144	4	0a09c8
145	5	2b24d4
146	6	a5e001
147	0	8d5e95
148	1	47d1e9
149	2	f22170
150	3	7ef605
151	4	a8f15e
152	5	37a749
153	6	b3e3e3
154	0	1d7f7a
155	1	2a79ea
156	2	1c9ac0
157	3	6c4b76
158	4	064096
159	5	140f69
160	6	b73ce3
161	0	bd4c9a
162	1	82aa4b
163	2	0777d5
164	3	fa7cdf
165	4	976652
166	5	7e7757
167	6	5878a7
168	0	006f52
169	1	363663
170	2	149e96
171	3	a4a042
172	4	1ff8a7
173	5	f7e6c8
174	6	bf8229
175	0	821612
176	1	38af86
177	2	96da2f
178	3	8f8551
179	4	8f5329
180	5	045117
181	6	fc2213
182	0	4c5bde
183	1	cedebb
184	2	6cdd60
185	3	eecca5
186	4	9872ed
187	5	31fefc
188	6	9dcb88
189	0	a2557a
190	1	cfecdb
191	2	0aa188
192	3	58a2fc
193	4	bd686f
194	5	a597e5
195	6	0336dc
196	0	084b6f
197	1	85d8ce
198	2	0e6597
199	3	84d9ee
200	4	3644a6
201	5	757b50
202	6	854d6f
203	0	e2c0be
204	1	274ad4
205	2	eae27d
206	3	7eabe3
207	4	69adc1
208	5	091d58
209	6	b1d10e
210	0	6f3ef7
211	1	eb1637
212	2	1534b7
213	3	979d47
214	4	ca46c1
215	5	3b8a61
216	6	45fbc6
217	0	63dc7e
218	1	e96ed4
219	2	c0e190
220	3	ec8ce6
221	4	060ad9
222	5	bcbe33
223	6	115f89
224	0	13fe9d
225	1	d1c38a
226	2	9cfdf1
227	3	705f21
228	4	74db12
229	5	57aeee
230	6	6da900
231	0	9b04d1
232	1	be83ab
233	2	e16542
234	3	289dff
235	4	577ef1
236	5	01161a
237	6	539fd5
238	0	ac1dd2
239	1	555d67
240	2	335f53
241	3	f340f1
242	4	e4a622
243	5	cb70ab
244	6	918890
245	0	0266e3
246	1	38db3a
247	2	3cec07
248	3	621bf6
249	4	077e29
250	5	6c9882
251	6	19f3cd
252	0	03c6b0
253	1	c24cd7
254	2	c52f1b
255	3	fe131d
256	4	f71849
257	5	d96409
258	6	502e4a
259	0	cfa086
260	1	a4f236
261	2	b1a59b
262	3	36660e
263	4	8c19f5
264	5	d6baf6
265	6	e56954
266	0	f76640
267	1	eda80a
268	2	8f121c
269	3	06138b
270	4	390597
271	5	7f100b
272	6	7a614f
273	0	4734ba
274	1	d947bf
275	2	63923f
276	3	db8e1a
277	4	20f075
278	5	07cdfd
279	6	d39577
280	0	92c8c9
281	1	e3796a
282	2	6a9aed
283	3	0f49c8
284	4	46ba9f
285	5	0e0193
286	6	16a5cd
287	0	918317
288	1	48aedb
289	2	839ab4
290	3	f90f2a
291	4	9c838d
292	5	170000
293	6	53c3bc
294	0	688396
295	1	49182f
296	2	d296c1
297	3	9fd818
298	4	26e359
299	5	ef0d39
300	6	94f6d7
\.


--
-- Data for Name: empty_table; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.empty_table (id, payload) FROM stdin;
\.


--
-- Data for Name: employees; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.employees (employee_id, manager_id, name, salary) FROM stdin;
1	\N	Ada	9000.00
2	1	Grace	8000.00
3	1	Linus	7000.00
4	3	Ken	\N
\.


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
-- Data for Name: archived_orders; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.archived_orders (order_id, invoice_no, customer_id, ordered_at, total, status, note, version) FROM stdin;
1	1240	101	2024-01-01 07:13:00+00	37.01	paid	note c4ca4238a0b923820dcc509a6f75849b	1
2	1250	102	2024-01-01 14:26:00+00	74.02	shipped	note c81e728d9d4c2f636f067f89cc14862c	1
3	1260	103	2024-01-01 21:39:00+00	111.03	cancelled	note eccbc87e4b5ce2fe28308fd9f2a7baf3	1
4	1270	104	2024-01-02 04:52:00+00	148.04	new	note a87ff679a2f3e71d9181a67b7542122c	1
5	1280	105	2024-01-02 12:05:00+00	185.05	paid	\N	1
\.


--
-- Data for Name: all_types; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app.all_types (id, c_smallint, c_integer, c_bigint, c_numeric, c_numeric_any, c_real, c_double, c_bool, c_text, c_varchar, c_char, c_bytea, c_json, c_jsonb, c_int_array, c_text_array, c_date, c_time, c_timestamp, c_timestamptz, c_interval, c_uuid, c_inet, c_bit, c_point, c_money, c_mood, c_address, c_email, c_int4range, c_floatrange, c_collated) FROM stdin;
1	1	100	10000000000	12345.678901	3.14159265358979323846264338327950288	1.5	2.25	t	plain text	varchar	abc  	\\x00010203fffe	{"a": 1, "b": [true, null]}	{"a": {"nested": "yes"}, "b": [1, 2]}	{1,2,3}	{x,"y z","with \\"quote\\"",NULL}	2024-02-29	13:37:00	2024-02-29 13:37:00.123456	2024-02-29 12:37:00.5+00	1 year 2 mons 3 days 04:05:06.7	a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11	192.168.0.1/24	10101010	(1.5,-2)	$1,234.56	happy	("1 Main St",Springfield,12345)	someone@example.com	[1,10)	[0.5,1.5]	zeta
2	-32768	-2147483648	-9223372036854775808	-0.000001	NaN	-Infinity	NaN	f			     	\\x	[]	{}	{}	{}	0001-01-01	00:00:00	1970-01-01 00:00:00	1970-01-01 00:00:00+00	-1 days +00:00:01	00000000-0000-0000-0000-000000000000	::1	00000000	(0,0)	$0.00	sad	("","","     ")	a@b	empty	empty	
3	32767	2147483647	9223372036854775807	99999999999999.999999	0.000000000000000000000000000001	Infinity	Infinity	\N	tab\there\nnewline\r\ncarriage return, backslash \\ and \\N and \\. alone	comma, "quote"	a\tb  	\\xdeadbeef5c0a0d09	{"s": "line\\nbreak \\u00e9"}	{"n": 10000000000, "s": "ÄÖÜ äöü ß", "emoji": "🐘"}	{NULL,NULL}	{"back\\\\slash","",NULL,"NULL"}	infinity	24:00:00	infinity	-infinity	178000000 years	ffffffff-ffff-ffff-ffff-ffffffffffff	2001:db8::1/64	11111111	(-1.00000000000000005e+300,1.00000000000000003e-300)	-$92,233,720,368,547,758.08	très "bien"	("Straße\t1",Zürich,"8000 ")	ünïcödé@exämple.org	(,)	(-Infinity,Infinity)	new\nline
4	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N
5	7	7	7	7.000000	7	7	7	t	日本語のテキスト — em dash, “curly quotes”,  nbsp, é combining, 🐘🎉	Ελληνικά	ñ    	\\x5554462d382062797465733a20c3a9	"just a string"	"just a string"	{7}	{ünï,cödé}	2000-01-01	12:00:00	2000-01-01 12:00:00	2000-01-01 06:30:00+00	00:00:00	12345678-1234-5678-1234-567812345678	0.0.0.0	00000001	(7,7)	$7.00	ok	(,,)	\N	[7,8)	[7,7]	Ελληνικά
\.


--
-- Data for Name: Regions EU; Type: TABLE DATA; Schema: app; Owner: app_owner
--

COPY app."Regions EU" (code, name) FROM stdin;
de	Deutschland
fr	France
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
-- Data for Name: Dotted.Table Name; Type: TABLE DATA; Schema: Odd "Schema" Name; Owner: postgres
--

COPY "Odd ""Schema"" Name"."Dotted.Table Name" ("a.b", c) FROM stdin;
1	dot
2	dot.dot
\.


--
-- PostgreSQL database dump complete
--

\unrestrict TESTKEY

