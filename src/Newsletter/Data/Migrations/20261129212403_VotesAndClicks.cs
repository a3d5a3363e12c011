using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations
{
    /// <inheritdoc />
    public partial class VotesAndClicks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "IssueClickSalts",
                columns: table => new
                {
                    IssueId = table.Column<long>(type: "INTEGER", nullable: false),
                    Salt = table.Column<byte[]>(type: "BLOB", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IssueClickSalts", x => x.IssueId);
                    table.ForeignKey(
                        name: "FK_IssueClickSalts_Issues_IssueId",
                        column: x => x.IssueId,
                        principalTable: "Issues",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IssueLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IssueId = table.Column<long>(type: "INTEGER", nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IssueLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IssueLinks_Issues_IssueId",
                        column: x => x.IssueId,
                        principalTable: "Issues",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LinkKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Secret = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LinkKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Votes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ComparisonId = table.Column<long>(type: "INTEGER", nullable: false),
                    Tool = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    SubscriberId = table.Column<long>(type: "INTEGER", nullable: true),
                    Ship = table.Column<bool>(type: "INTEGER", nullable: false),
                    VotedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Votes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Votes_Comparisons_ComparisonId",
                        column: x => x.ComparisonId,
                        principalTable: "Comparisons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Votes_Subscribers_SubscriberId",
                        column: x => x.SubscriberId,
                        principalTable: "Subscribers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "Clicks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IssueId = table.Column<long>(type: "INTEGER", nullable: false),
                    LinkId = table.Column<long>(type: "INTEGER", nullable: false),
                    ReaderHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    SubscriberId = table.Column<long>(type: "INTEGER", nullable: true),
                    ClickedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Scanner = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Clicks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Clicks_IssueLinks_LinkId",
                        column: x => x.LinkId,
                        principalTable: "IssueLinks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Clicks_Issues_IssueId",
                        column: x => x.IssueId,
                        principalTable: "Issues",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_Clicks_Subscribers_SubscriberId",
                        column: x => x.SubscriberId,
                        principalTable: "Subscribers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Clicks_IssueId_ReaderHash_ClickedAt",
                table: "Clicks",
                columns: new[] { "IssueId", "ReaderHash", "ClickedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Clicks_LinkId_Scanner",
                table: "Clicks",
                columns: new[] { "LinkId", "Scanner" });

            migrationBuilder.CreateIndex(
                name: "IX_Clicks_SubscriberId",
                table: "Clicks",
                column: "SubscriberId");

            migrationBuilder.CreateIndex(
                name: "IX_IssueLinks_IssueId_Url",
                table: "IssueLinks",
                columns: new[] { "IssueId", "Url" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Votes_ComparisonId_Tool_SubscriberId",
                table: "Votes",
                columns: new[] { "ComparisonId", "Tool", "SubscriberId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Votes_SubscriberId",
                table: "Votes",
                column: "SubscriberId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Clicks");

            migrationBuilder.DropTable(
                name: "IssueClickSalts");

            migrationBuilder.DropTable(
                name: "LinkKeys");

            migrationBuilder.DropTable(
                name: "Votes");

            migrationBuilder.DropTable(
                name: "IssueLinks");
        }
    }
}
