using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Automation.Ingress.Storage.Migrations
{
    /// <inheritdoc />
    public partial class PurgeBodiesByAge : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<byte[]>(
                name: "body",
                schema: "ingress",
                table: "events",
                type: "bytea",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "bytea");

            migrationBuilder.CreateIndex(
                name: "ix_events_unpurged",
                schema: "ingress",
                table: "events",
                column: "id",
                filter: "body IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_events_unpurged",
                schema: "ingress",
                table: "events");

            migrationBuilder.AlterColumn<byte[]>(
                name: "body",
                schema: "ingress",
                table: "events",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0],
                oldClrType: typeof(byte[]),
                oldType: "bytea",
                oldNullable: true);
        }
    }
}
