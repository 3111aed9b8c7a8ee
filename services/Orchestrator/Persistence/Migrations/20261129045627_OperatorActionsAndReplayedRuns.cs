using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Automation.Orchestrator.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OperatorActionsAndReplayedRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_events_received_at",
                schema: "orchestrator",
                table: "events");

            migrationBuilder.CreateTable(
                name: "operator_actions",
                schema: "orchestrator",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    @operator = table.Column<string>(name: "operator", type: "character varying(100)", maxLength: 100, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    request = table.Column<string>(type: "jsonb", nullable: false),
                    result = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_operator_actions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "replayed_runs",
                schema: "orchestrator",
                columns: table => new
                {
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    action_id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_record_id = table.Column<Guid>(type: "uuid", nullable: false),
                    rule = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    run = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_replayed_runs", x => x.run_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_events_received_at_id",
                schema: "orchestrator",
                table: "events",
                columns: new[] { "received_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_operator_actions_at_id",
                schema: "orchestrator",
                table: "operator_actions",
                columns: new[] { "at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_replayed_runs_action_id",
                schema: "orchestrator",
                table: "replayed_runs",
                column: "action_id");

            migrationBuilder.CreateIndex(
                name: "ix_replayed_runs_event_record_id_rule_run",
                schema: "orchestrator",
                table: "replayed_runs",
                columns: new[] { "event_record_id", "rule", "run" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "operator_actions",
                schema: "orchestrator");

            migrationBuilder.DropTable(
                name: "replayed_runs",
                schema: "orchestrator");

            migrationBuilder.DropIndex(
                name: "ix_events_received_at_id",
                schema: "orchestrator",
                table: "events");

            migrationBuilder.CreateIndex(
                name: "ix_events_received_at",
                schema: "orchestrator",
                table: "events",
                column: "received_at");
        }
    }
}
