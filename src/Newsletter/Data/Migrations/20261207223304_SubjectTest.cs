using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations
{
    /// <inheritdoc />
    public partial class SubjectTest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SecondSubjectTemplate",
                table: "Issues",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SubjectDecidedAt",
                table: "Issues",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SubjectTestEndsAt",
                table: "Issues",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SubjectWinner",
                table: "Issues",
                type: "TEXT",
                maxLength: 1,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SubjectWinnerBy",
                table: "Issues",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SecondSubject",
                table: "DigestDrafts",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Variant",
                table: "Deliveries",
                type: "TEXT",
                maxLength: 1,
                nullable: true);

            migrationBuilder.UpdateData(
                table: "DigestDrafts",
                keyColumn: "Id",
                keyValue: 1L,
                column: "SecondSubject",
                value: null);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SecondSubjectTemplate",
                table: "Issues");

            migrationBuilder.DropColumn(
                name: "SubjectDecidedAt",
                table: "Issues");

            migrationBuilder.DropColumn(
                name: "SubjectTestEndsAt",
                table: "Issues");

            migrationBuilder.DropColumn(
                name: "SubjectWinner",
                table: "Issues");

            migrationBuilder.DropColumn(
                name: "SubjectWinnerBy",
                table: "Issues");

            migrationBuilder.DropColumn(
                name: "SecondSubject",
                table: "DigestDrafts");

            migrationBuilder.DropColumn(
                name: "Variant",
                table: "Deliveries");
        }
    }
}
