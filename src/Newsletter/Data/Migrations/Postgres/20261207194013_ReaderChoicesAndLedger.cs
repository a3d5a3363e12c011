using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReaderChoicesAndLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "readerledger",
                columns: table => new
                {
                    subscriberid = table.Column<long>(type: "bigint", nullable: false),
                    comparisonid = table.Column<long>(type: "bigint", nullable: false),
                    issueid = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_readerledger", x => new { x.subscriberid, x.comparisonid });
                    table.ForeignKey(
                        name: "FK_readerledger_issues_issueid",
                        column: x => x.issueid,
                        principalTable: "issues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_readerledger_subscribers_subscriberid",
                        column: x => x.subscriberid,
                        principalTable: "subscribers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "readerpreferences",
                columns: table => new
                {
                    subscriberid = table.Column<long>(type: "bigint", nullable: false),
                    frequency = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    updatedat = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_readerpreferences", x => x.subscriberid);
                    table.ForeignKey(
                        name: "FK_readerpreferences_subscribers_subscriberid",
                        column: x => x.subscriberid,
                        principalTable: "subscribers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "readertopics",
                columns: table => new
                {
                    subscriberid = table.Column<long>(type: "bigint", nullable: false),
                    topic = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_readertopics", x => new { x.subscriberid, x.topic });
                    table.ForeignKey(
                        name: "FK_readertopics_readerpreferences_subscriberid",
                        column: x => x.subscriberid,
                        principalTable: "readerpreferences",
                        principalColumn: "subscriberid",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_readerledger_issueid_subscriberid",
                table: "readerledger",
                columns: new[] { "issueid", "subscriberid" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "readerledger");

            migrationBuilder.DropTable(
                name: "readertopics");

            migrationBuilder.DropTable(
                name: "readerpreferences");
        }
    }
}
