using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EditorsDraftAndScheduledPreview : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "note",
                table: "issues",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "subjecttemplate",
                table: "issues",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "digestdrafts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    note = table.Column<string>(type: "text", nullable: true),
                    subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    order = table.Column<string>(type: "text", nullable: false),
                    held = table.Column<string>(type: "text", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    savedat = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_digestdrafts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "previewmailings",
                columns: table => new
                {
                    slot = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    sentat = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_previewmailings", x => x.slot);
                });

            migrationBuilder.InsertData(
                table: "digestdrafts",
                columns: new[] { "id", "held", "note", "order", "savedat", "subject", "version" },
                values: new object[] { 1L, "", null, "", null, null, 0 });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "digestdrafts");

            migrationBuilder.DropTable(
                name: "previewmailings");

            migrationBuilder.DropColumn(
                name: "note",
                table: "issues");

            migrationBuilder.DropColumn(
                name: "subjecttemplate",
                table: "issues");
        }
    }
}
