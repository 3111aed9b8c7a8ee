using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Automation.CiTrigger.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ConnectorTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "scheduled_message",
                schema: "ci_trigger",
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
                    table.PrimaryKey("PK_scheduled_message", x => x.token_id);
                });

            migrationBuilder.CreateTable(
                name: "step_outcome",
                schema: "ci_trigger",
                columns: table => new
                {
                    key = table.Column<string>(type: "text", nullable: false),
                    external_reference = table.Column<string>(type: "text", nullable: true),
                    detail = table.Column<string>(type: "text", nullable: true),
                    completed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_step_outcome", x => x.key);
                });

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_message_finished_due",
                schema: "ci_trigger",
                table: "scheduled_message",
                column: "due_at",
                filter: "delivered_at IS NOT NULL OR cancelled_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_message_pending_due",
                schema: "ci_trigger",
                table: "scheduled_message",
                column: "due_at",
                filter: "delivered_at IS NULL AND cancelled_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "scheduled_message",
                schema: "ci_trigger");

            migrationBuilder.DropTable(
                name: "step_outcome",
                schema: "ci_trigger");
        }
    }
}
