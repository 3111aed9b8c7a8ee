using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Automation.Orchestrator.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "orchestrator");

            migrationBuilder.CreateTable(
                name: "events",
                schema: "orchestrator",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    source = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    event_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    stored_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    data = table.Column<string>(type: "jsonb", nullable: false),
                    trace_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "inbox_state",
                schema: "orchestrator",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    received = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    receive_count = table.Column<int>(type: "integer", nullable: false),
                    consumed = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    delivered = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_sequence_number = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbox_state", x => new { x.message_id, x.consumer_id });
                });

            migrationBuilder.CreateTable(
                name: "outbox_message",
                schema: "orchestrator",
                columns: table => new
                {
                    sequence_number = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    outbox_id = table.Column<Guid>(type: "uuid", nullable: true),
                    inbox_message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    inbox_consumer_id = table.Column<Guid>(type: "uuid", nullable: true),
                    content_type = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    message_type = table.Column<string>(type: "text", nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    headers = table.Column<string>(type: "text", nullable: true),
                    properties = table.Column<string>(type: "text", nullable: true),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    correlation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    initiator_id = table.Column<Guid>(type: "uuid", nullable: true),
                    request_id = table.Column<Guid>(type: "uuid", nullable: true),
                    source_address = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    destination_address = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    response_address = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    fault_address = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    sent_time = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    expiration_time = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_message", x => x.sequence_number);
                });

            migrationBuilder.CreateTable(
                name: "outbox_state",
                schema: "orchestrator",
                columns: table => new
                {
                    outbox_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_state", x => x.outbox_id);
                });

            migrationBuilder.CreateTable(
                name: "runs",
                schema: "orchestrator",
                columns: table => new
                {
                    correlation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    current_state = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    event_record_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    event_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    event_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    rule = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    run = table.Column<int>(type: "integer", nullable: false),
                    trace_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    occurred_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    current_step = table.Column<int>(type: "integer", nullable: false),
                    compensating_step = table.Column<int>(type: "integer", nullable: false),
                    failed_step = table.Column<int>(type: "integer", nullable: true),
                    failure = table.Column<string>(type: "text", nullable: true),
                    step_timeout_token_id = table.Column<Guid>(type: "uuid", nullable: true),
                    steps = table.Column<string>(type: "jsonb", nullable: false),
                    values = table.Column<string>(type: "jsonb", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_runs", x => x.correlation_id);
                });

            migrationBuilder.CreateTable(
                name: "scheduled_message",
                schema: "orchestrator",
                columns: table => new
                {
                    token_id = table.Column<Guid>(type: "uuid", nullable: false),
                    due_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    command_time = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    delivered_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    cancelled_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    destination = table.Column<string>(type: "text", nullable: true),
                    message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    content_type = table.Column<string>(type: "text", nullable: true),
                    message_type = table.Column<string>(type: "text", nullable: true),
                    body = table.Column<string>(type: "text", nullable: true),
                    headers = table.Column<string>(type: "text", nullable: true),
                    properties = table.Column<string>(type: "text", nullable: true),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    correlation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    initiator_id = table.Column<Guid>(type: "uuid", nullable: true),
                    request_id = table.Column<Guid>(type: "uuid", nullable: true),
                    source_address = table.Column<string>(type: "text", nullable: true),
                    response_address = table.Column<string>(type: "text", nullable: true),
                    fault_address = table.Column<string>(type: "text", nullable: true),
                    expiration_time = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scheduled_message", x => x.token_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_events_received_at",
                schema: "orchestrator",
                table: "events",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_events_source_event_id",
                schema: "orchestrator",
                table: "events",
                columns: new[] { "source", "event_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_inbox_state_delivered",
                schema: "orchestrator",
                table: "inbox_state",
                column: "delivered");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_message_inbox_message_id_inbox_consumer_id_sequence_",
                schema: "orchestrator",
                table: "outbox_message",
                columns: new[] { "inbox_message_id", "inbox_consumer_id", "sequence_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_message_outbox_id_sequence_number",
                schema: "orchestrator",
                table: "outbox_message",
                columns: new[] { "outbox_id", "sequence_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_state_created",
                schema: "orchestrator",
                table: "outbox_state",
                column: "created");

            migrationBuilder.CreateIndex(
                name: "ix_runs_current_state_started_at",
                schema: "orchestrator",
                table: "runs",
                columns: new[] { "current_state", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_runs_event_record_id",
                schema: "orchestrator",
                table: "runs",
                column: "event_record_id");

            migrationBuilder.CreateIndex(
                name: "ix_runs_source_event_id_rule_run",
                schema: "orchestrator",
                table: "runs",
                columns: new[] { "source", "event_id", "rule", "run" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_runs_started_at",
                schema: "orchestrator",
                table: "runs",
                column: "started_at");

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_message_finished_due",
                schema: "orchestrator",
                table: "scheduled_message",
                column: "due_at",
                filter: "delivered_at IS NOT NULL OR cancelled_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_message_pending_due",
                schema: "orchestrator",
                table: "scheduled_message",
                column: "due_at",
                filter: "delivered_at IS NULL AND cancelled_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "events",
                schema: "orchestrator");

            migrationBuilder.DropTable(
                name: "inbox_state",
                schema: "orchestrator");

            migrationBuilder.DropTable(
                name: "outbox_message",
                schema: "orchestrator");

            migrationBuilder.DropTable(
                name: "outbox_state",
                schema: "orchestrator");

            migrationBuilder.DropTable(
                name: "runs",
                schema: "orchestrator");

            migrationBuilder.DropTable(
                name: "scheduled_message",
                schema: "orchestrator");
        }
    }
}
