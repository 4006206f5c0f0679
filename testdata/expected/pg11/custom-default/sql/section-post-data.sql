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

SET default_tablespace = '';

--
-- Name: Table With Spaces Table With Spaces_pkey; Type: CONSTRAINT; Schema: Odd "Schema" Name; Owner: postgres
--

ALTER TABLE ONLY "Odd ""Schema"" Name"."Table With Spaces"
    ADD CONSTRAINT "Table With Spaces_pkey" PRIMARY KEY ("ID");


--
-- Name: all_types all_types_pkey; Type: CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.all_types
    ADD CONSTRAINT all_types_pkey PRIMARY KEY (id);


--
-- Name: customers customers_email_key; Type: CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.customers
    ADD CONSTRAINT customers_email_key UNIQUE (email);


--
-- Name: customers customers_pkey; Type: CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (customer_id);


--
-- Name: employees employees_pkey; Type: CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.employees
    ADD CONSTRAINT employees_pkey PRIMARY KEY (employee_id);


--
-- Name: employees employees_salary_check; Type: CHECK CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE app.employees
    ADD CONSTRAINT employees_salary_check CHECK ((salary > (0)::numeric)) NOT VALID;


--
-- Name: empty_table empty_table_pkey; Type: CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.empty_table
    ADD CONSTRAINT empty_table_pkey PRIMARY KEY (id);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (event_id);


--
-- Name: measurements measurements_pkey; Type: CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.measurements
    ADD CONSTRAINT measurements_pkey PRIMARY KEY (sensor_id, taken_on);


--
-- Name: measurements_2023 measurements_2023_pkey; Type: CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.measurements_2023
    ADD CONSTRAINT measurements_2023_pkey PRIMARY KEY (sensor_id, taken_on);


--
-- Name: measurements_2024 measurements_2024_pkey; Type: CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.measurements_2024
    ADD CONSTRAINT measurements_2024_pkey PRIMARY KEY (sensor_id, taken_on);


--
-- Name: measurements_2024_h0 measurements_2024_h0_pkey; Type: CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.measurements_2024_h0
    ADD CONSTRAINT measurements_2024_h0_pkey PRIMARY KEY (sensor_id, taken_on);


--
-- Name: measurements_2024_h1 measurements_2024_h1_pkey; Type: CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.measurements_2024_h1
    ADD CONSTRAINT measurements_2024_h1_pkey PRIMARY KEY (sensor_id, taken_on);


--
-- Name: measurements_default measurements_default_pkey; Type: CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.measurements_default
    ADD CONSTRAINT measurements_default_pkey PRIMARY KEY (sensor_id, taken_on);


--
-- Name: order_lines order_lines_pkey; Type: CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.order_lines
    ADD CONSTRAINT order_lines_pkey PRIMARY KEY (order_id, line_no);


--
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (order_id);


--
-- Name: unlogged_cache unlogged_cache_pkey; Type: CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.unlogged_cache
    ADD CONSTRAINT unlogged_cache_pkey PRIMARY KEY (k);


--
-- Name: vehicles vehicles_pkey; Type: CONSTRAINT; Schema: history; Owner: postgres
--

ALTER TABLE ONLY history.vehicles
    ADD CONSTRAINT vehicles_pkey PRIMARY KEY (vehicle_id);


--
-- Name: all_types_jsonb_idx; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE INDEX all_types_jsonb_idx ON app.all_types USING gin (c_jsonb jsonb_path_ops);


--
-- Name: all_types_range_idx; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE INDEX all_types_range_idx ON app.all_types USING gist (c_int4range);


SET default_tablespace = fixture_space;

--
-- Name: archived_orders_ordered_at_idx; Type: INDEX; Schema: app; Owner: app_owner; Tablespace: fixture_space
--

CREATE INDEX archived_orders_ordered_at_idx ON app.archived_orders USING btree (ordered_at);


SET default_tablespace = '';

--
-- Name: customers_lower_name_idx; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE INDEX customers_lower_name_idx ON app.customers USING btree (lower(name) text_pattern_ops);


--
-- Name: events_kind_brin; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE INDEX events_kind_brin ON app.events USING brin (kind) WITH (pages_per_range='16');


--
-- Name: events_tag_hash; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE INDEX events_tag_hash ON app.events USING hash (tag);


--
-- Name: measurements_value_idx; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE INDEX measurements_value_idx ON ONLY app.measurements USING btree (value);


--
-- Name: measurements_2023_value_idx; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE INDEX measurements_2023_value_idx ON app.measurements_2023 USING btree (value);


--
-- Name: measurements_2024_value_idx; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE INDEX measurements_2024_value_idx ON ONLY app.measurements_2024 USING btree (value);


--
-- Name: measurements_2024_h0_value_idx; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE INDEX measurements_2024_h0_value_idx ON app.measurements_2024_h0 USING btree (value);


--
-- Name: measurements_2024_h1_value_idx; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE INDEX measurements_2024_h1_value_idx ON app.measurements_2024_h1 USING btree (value);


--
-- Name: measurements_default_value_idx; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE INDEX measurements_default_value_idx ON app.measurements_default USING btree (value);


--
-- Name: monthly_sales_month_idx; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE UNIQUE INDEX monthly_sales_month_idx ON app.monthly_sales USING btree (month);


--
-- Name: orders_customer_idx; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE INDEX orders_customer_idx ON app.orders USING btree (customer_id);


--
-- Name: orders_invoice_idx; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE UNIQUE INDEX orders_invoice_idx ON app.orders USING btree (invoice_no) INCLUDE (total);


--
-- Name: orders_open_idx; Type: INDEX; Schema: app; Owner: app_owner
--

CREATE INDEX orders_open_idx ON app.orders USING btree (ordered_at DESC NULLS LAST) WHERE (status <> 'cancelled'::text);


--
-- Name: INDEX orders_open_idx; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON INDEX app.orders_open_idx IS 'Partial index on open orders';


--
-- Name: measurements_2023_pkey; Type: INDEX ATTACH; Schema: app; Owner: app_owner
--

ALTER INDEX app.measurements_pkey ATTACH PARTITION app.measurements_2023_pkey;


--
-- Name: measurements_2023_value_idx; Type: INDEX ATTACH; Schema: app; Owner: app_owner
--

ALTER INDEX app.measurements_value_idx ATTACH PARTITION app.measurements_2023_value_idx;


--
-- Name: measurements_2024_h0_pkey; Type: INDEX ATTACH; Schema: app; Owner: app_owner
--

ALTER INDEX app.measurements_2024_pkey ATTACH PARTITION app.measurements_2024_h0_pkey;


--
-- Name: measurements_2024_h0_value_idx; Type: INDEX ATTACH; Schema: app; Owner: app_owner
--

ALTER INDEX app.measurements_2024_value_idx ATTACH PARTITION app.measurements_2024_h0_value_idx;


--
-- Name: measurements_2024_h1_pkey; Type: INDEX ATTACH; Schema: app; Owner: app_owner
--

ALTER INDEX app.measurements_2024_pkey ATTACH PARTITION app.measurements_2024_h1_pkey;


--
-- Name: measurements_2024_h1_value_idx; Type: INDEX ATTACH; Schema: app; Owner: app_owner
--

ALTER INDEX app.measurements_2024_value_idx ATTACH PARTITION app.measurements_2024_h1_value_idx;


--
-- Name: measurements_2024_pkey; Type: INDEX ATTACH; Schema: app; Owner: app_owner
--

ALTER INDEX app.measurements_pkey ATTACH PARTITION app.measurements_2024_pkey;


--
-- Name: measurements_2024_value_idx; Type: INDEX ATTACH; Schema: app; Owner: app_owner
--

ALTER INDEX app.measurements_value_idx ATTACH PARTITION app.measurements_2024_value_idx;


--
-- Name: measurements_default_pkey; Type: INDEX ATTACH; Schema: app; Owner: app_owner
--

ALTER INDEX app.measurements_pkey ATTACH PARTITION app.measurements_default_pkey;


--
-- Name: measurements_default_value_idx; Type: INDEX ATTACH; Schema: app; Owner: app_owner
--

ALTER INDEX app.measurements_value_idx ATTACH PARTITION app.measurements_default_value_idx;


--
-- Name: employees_stats; Type: STATISTICS; Schema: app; Owner: app_owner
--

CREATE STATISTICS app.employees_stats ON manager_id, salary FROM app.employees;


ALTER STATISTICS app.employees_stats OWNER TO app_owner;

--
-- Name: vehicles vehicles_no_delete; Type: RULE; Schema: history; Owner: postgres
--

CREATE RULE vehicles_no_delete AS
    ON DELETE TO history.vehicles DO INSTEAD NOTHING;


--
-- Name: RULE vehicles_no_delete ON vehicles; Type: COMMENT; Schema: history; Owner: postgres
--

COMMENT ON RULE vehicles_no_delete ON history.vehicles IS 'History is append-only';


--
-- Name: order_lines order_lines_check; Type: TRIGGER; Schema: app; Owner: app_owner
--

CREATE CONSTRAINT TRIGGER order_lines_check AFTER INSERT ON app.order_lines DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE PROCEDURE app.log_statement();


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
-- Name: employees employees_manager_fk; Type: FK CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.employees
    ADD CONSTRAINT employees_manager_fk FOREIGN KEY (manager_id) REFERENCES app.employees(employee_id) NOT VALID;


--
-- Name: order_lines order_lines_order_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.order_lines
    ADD CONSTRAINT order_lines_order_id_fkey FOREIGN KEY (order_id) REFERENCES app.orders(order_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;


--
-- Name: orders orders_customer_fk; Type: FK CONSTRAINT; Schema: app; Owner: app_owner
--

ALTER TABLE ONLY app.orders
    ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES app.customers(customer_id) ON DELETE CASCADE;


--
-- Name: customers; Type: ROW SECURITY; Schema: app; Owner: app_owner
--

ALTER TABLE app.customers ENABLE ROW LEVEL SECURITY;

--
-- Name: customers customers_no_sad_insert; Type: POLICY; Schema: app; Owner: app_owner
--

CREATE POLICY customers_no_sad_insert ON app.customers AS RESTRICTIVE FOR INSERT WITH CHECK ((mood IS DISTINCT FROM 'sad'::app.mood));


--
-- Name: customers customers_reader; Type: POLICY; Schema: app; Owner: app_owner
--

CREATE POLICY customers_reader ON app.customers FOR SELECT TO "Report Reader" USING ((mood <> 'sad'::app.mood));


--
-- Name: POLICY customers_reader ON customers; Type: COMMENT; Schema: app; Owner: app_owner
--

COMMENT ON POLICY customers_reader ON app.customers IS 'Readers see happy customers only';


--
-- Name: fixture_pub; Type: PUBLICATION; Schema: -; Owner: postgres
--

CREATE PUBLICATION fixture_pub WITH (publish = 'insert, update');


ALTER PUBLICATION fixture_pub OWNER TO postgres;

--
-- Name: PUBLICATION fixture_pub; Type: COMMENT; Schema: -; Owner: postgres
--

COMMENT ON PUBLICATION fixture_pub IS 'Publication for orders and customers';


--
-- Name: fixture_pub customers; Type: PUBLICATION TABLE; Schema: app; Owner: postgres
--

ALTER PUBLICATION fixture_pub ADD TABLE ONLY app.customers;


--
-- Name: fixture_pub orders; Type: PUBLICATION TABLE; Schema: app; Owner: postgres
--

ALTER PUBLICATION fixture_pub ADD TABLE ONLY app.orders;


--
-- Name: fixture_sub; Type: SUBSCRIPTION; Schema: -; Owner: postgres
--

CREATE SUBSCRIPTION fixture_sub CONNECTION 'host=nowhere.invalid dbname=none' PUBLICATION fixture_pub WITH (connect = false, slot_name = NONE);


ALTER SUBSCRIPTION fixture_sub OWNER TO postgres;

--
-- Name: DEFAULT PRIVILEGES FOR TABLES; Type: DEFAULT ACL; Schema: app; Owner: app_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE app_owner IN SCHEMA app REVOKE ALL ON TABLES  FROM app_owner;
ALTER DEFAULT PRIVILEGES FOR ROLE app_owner IN SCHEMA app GRANT SELECT ON TABLES  TO "Report Reader";


--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: app_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE app_owner REVOKE ALL ON FUNCTIONS  FROM PUBLIC;


--
-- Name: fixture_ddl_watch; Type: EVENT TRIGGER; Schema: -; Owner: postgres
--

CREATE EVENT TRIGGER fixture_ddl_watch ON ddl_command_end
         WHEN TAG IN ('CREATE TABLE')
   EXECUTE PROCEDURE app.on_ddl();

ALTER EVENT TRIGGER fixture_ddl_watch DISABLE;


ALTER EVENT TRIGGER fixture_ddl_watch OWNER TO postgres;

--
-- Name: monthly_sales; Type: MATERIALIZED VIEW DATA; Schema: app; Owner: app_owner
--

REFRESH MATERIALIZED VIEW app.monthly_sales;


--
-- PostgreSQL database dump complete
--

\unrestrict TESTKEY

