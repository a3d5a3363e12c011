using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SubjectTest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "secondsubjecttemplate",
                table: "issues",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "subjectdecidedat",
                table: "issues",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "subjecttestendsat",
                table: "issues",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "subjectwinner",
                table: "issues",
                type: "character varying(1)",
                maxLength: 1,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "subjectwinnerby",
                table: "issues",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "secondsubject",
                table: "digestdrafts",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "variant",
                table: "deliveries",
                type: "character varying(1)",
                maxLength: 1,
                nullable: true);

            migrationBuilder.UpdateData(
                table: "digestdrafts",
                keyColumn: "id",
                keyValue: 1L,
                column: "secondsubject",
                value: null);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "secondsubjecttemplate",
                table: "issues");

            migrationBuilder.DropColumn(
                name: "subjectdecidedat",
                table: "issues");

            migrationBuilder.DropColumn(
                name: "subjecttestendsat",
                table: "issues");

            migrationBuilder.DropColumn(
                name: "subjectwinner",
                table: "issues");

            migrationBuilder.DropColumn(
                name: "subjectwinnerby",
                table: "issues");

            migrationBuilder.DropColumn(
                name: "secondsubject",
                table: "digestdrafts");

            migrationBuilder.DropColumn(
                name: "variant",
                table: "deliveries");
        }
    }
}
