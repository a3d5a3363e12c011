using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations
{
    /// <inheritdoc />
    public partial class ConfirmationBacklog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ConfirmationMailAttempts",
                table: "Subscribers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "ConfirmationMailDueAt",
                table: "Subscribers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SignupAttemptAt",
                table: "Subscribers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Subscribers_ConfirmationMailDueAt",
                table: "Subscribers",
                column: "ConfirmationMailDueAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Subscribers_ConfirmationMailDueAt",
                table: "Subscribers");

            migrationBuilder.DropColumn(
                name: "ConfirmationMailAttempts",
                table: "Subscribers");

            migrationBuilder.DropColumn(
                name: "ConfirmationMailDueAt",
                table: "Subscribers");

            migrationBuilder.DropColumn(
                name: "SignupAttemptAt",
                table: "Subscribers");
        }
    }
}
