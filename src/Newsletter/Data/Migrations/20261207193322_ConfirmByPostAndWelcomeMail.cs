using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations
{
    /// <inheritdoc />
    public partial class ConfirmByPostAndWelcomeMail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ConfirmedIp",
                table: "Subscribers",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedUserAgent",
                table: "Subscribers",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "WelcomeMailAttempts",
                table: "Subscribers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "WelcomeMailDueAt",
                table: "Subscribers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Subscribers_WelcomeMailDueAt",
                table: "Subscribers",
                column: "WelcomeMailDueAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Subscribers_WelcomeMailDueAt",
                table: "Subscribers");

            migrationBuilder.DropColumn(
                name: "ConfirmedIp",
                table: "Subscribers");

            migrationBuilder.DropColumn(
                name: "ConfirmedUserAgent",
                table: "Subscribers");

            migrationBuilder.DropColumn(
                name: "WelcomeMailAttempts",
                table: "Subscribers");

            migrationBuilder.DropColumn(
                name: "WelcomeMailDueAt",
                table: "Subscribers");
        }
    }
}
