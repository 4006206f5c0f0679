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
