using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations
{
    /// <inheritdoc />
    public partial class EditorsDraftAndScheduledPreview : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Note",
                table: "Issues",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SubjectTemplate",
                table: "Issues",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DigestDrafts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Order = table.Column<string>(type: "TEXT", nullable: false),
                    Held = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    SavedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DigestDrafts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PreviewMailings",
                columns: table => new
                {
                    Slot = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PreviewMailings", x => x.Slot);
                });

            migrationBuilder.InsertData(
                table: "DigestDrafts",
                columns: new[] { "Id", "Held", "Note", "Order", "SavedAt", "Subject", "Version" },
                values: new object[] { 1L, "", null, "", null, null, 0 });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DigestDrafts");

            migrationBuilder.DropTable(
                name: "PreviewMailings");

            migrationBuilder.DropColumn(
                name: "Note",
                table: "Issues");

            migrationBuilder.DropColumn(
                name: "SubjectTemplate",
                table: "Issues");
        }
    }
}
