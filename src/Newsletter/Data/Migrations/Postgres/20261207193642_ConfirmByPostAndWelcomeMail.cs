using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ConfirmByPostAndWelcomeMail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "confirmedip",
                table: "subscribers",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "confirmeduseragent",
                table: "subscribers",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "welcomemailattempts",
                table: "subscribers",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "welcomemaildueat",
                table: "subscribers",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_subscribers_welcomemaildueat",
                table: "subscribers",
                column: "welcomemaildueat");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_subscribers_welcomemaildueat",
                table: "subscribers");

            migrationBuilder.DropColumn(
                name: "confirmedip",
                table: "subscribers");

            migrationBuilder.DropColumn(
                name: "confirmeduseragent",
                table: "subscribers");

            migrationBuilder.DropColumn(
                name: "welcomemailattempts",
                table: "subscribers");

            migrationBuilder.DropColumn(
                name: "welcomemaildueat",
                table: "subscribers");
        }
    }
}
