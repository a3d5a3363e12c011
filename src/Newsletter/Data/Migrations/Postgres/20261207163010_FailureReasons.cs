using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FailureReasons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "reason",
                table: "deliveryreports",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "recipientdomain",
                table: "deliveryreports",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "status",
                table: "deliveryreports",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "failurereason",
                table: "deliveries",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "failurestatus",
                table: "deliveries",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "reason",
                table: "deliveryreports");

            migrationBuilder.DropColumn(
                name: "recipientdomain",
                table: "deliveryreports");

            migrationBuilder.DropColumn(
                name: "status",
                table: "deliveryreports");

            migrationBuilder.DropColumn(
                name: "failurereason",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "failurestatus",
                table: "deliveries");
        }
    }
}
