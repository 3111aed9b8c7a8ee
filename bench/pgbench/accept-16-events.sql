-- PostgreSQL's side of the Ingress's accept, without the Ingress: the event row, its outbox state and message rows,
-- shaped like EventWriter's statement (docs/benchmarks.md). Run against the bench_ingress database bench/ingress.sh
-- leaves behind; the rows stay there. No colons in the literals: pgbench reads :name as a variable.
WITH input AS (SELECT gen_random_uuid() AS id, 'e' || random() || '-' || g AS event_id FROM generate_series(1,16) g),
inserted AS (
  INSERT INTO ingress.events (id, source, event_id, type, version, received_at, body, scheme, webhook_id, status)
  SELECT id, 'pgb', event_id, 'survey.completed', 1, now(), convert_to(repeat('x', 312), 'UTF8'), 'hmac-sha256-hex', NULL, 'accepted' FROM input
  ON CONFLICT (source, event_id) DO NOTHING RETURNING id),
os AS (INSERT INTO ingress.outbox_state (outbox_id, created) SELECT gen_random_uuid(), now() FROM inserted RETURNING outbox_id),
om AS (INSERT INTO ingress.outbox_message (message_id, outbox_id, content_type, message_type, body, headers, sent_time, destination_address)
  SELECT gen_random_uuid(), os.outbox_id, 'application/vnd.masstransit+json', 'urn-message-Automation.Contracts-SurveyCompleted', repeat('y', 1400), '{}', now(), 'rabbitmq//localhost/Automation.Contracts-SurveyCompleted' FROM os)
SELECT id FROM inserted;
