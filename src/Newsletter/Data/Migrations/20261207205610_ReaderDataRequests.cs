using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReaderDataRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ReaderDataRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SubscriberId = table.Column<long>(type: "INTEGER", nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    MailDueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    MailAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    UsedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReaderDataRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReaderDataRequests_Subscribers_SubscriberId",
                        column: x => x.SubscriberId,
                        principalTable: "Subscribers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ReaderDataRequests_MailDueAt",
                table: "ReaderDataRequests",
                column: "MailDueAt");

            migrationBuilder.CreateIndex(
                name: "IX_ReaderDataRequests_SubscriberId",
                table: "ReaderDataRequests",
                column: "SubscriberId");

            migrationBuilder.CreateIndex(
                name: "IX_ReaderDataRequests_TokenHash",
                table: "ReaderDataRequests",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ReaderDataRequests");
        }
    }
}
