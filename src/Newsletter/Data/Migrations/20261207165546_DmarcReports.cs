using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations
{
    /// <inheritdoc />
    public partial class DmarcReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DmarcReports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Organization = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ReportId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Policy = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Begin = table.Column<long>(type: "INTEGER", nullable: false),
                    End = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DmarcReports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DmarcReportRows",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DmarcReportId = table.Column<long>(type: "INTEGER", nullable: false),
                    SourceIp = table.Column<string>(type: "TEXT", maxLength: 45, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    DkimAligned = table.Column<bool>(type: "INTEGER", nullable: false),
                    SpfAligned = table.Column<bool>(type: "INTEGER", nullable: false),
                    Disposition = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DmarcReportRows", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DmarcReportRows_DmarcReports_DmarcReportId",
                        column: x => x.DmarcReportId,
                        principalTable: "DmarcReports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DmarcReportRows_DmarcReportId",
                table: "DmarcReportRows",
                column: "DmarcReportId");

            migrationBuilder.CreateIndex(
                name: "IX_DmarcReports_End",
                table: "DmarcReports",
                column: "End");

            migrationBuilder.CreateIndex(
                name: "IX_DmarcReports_Organization_ReportId",
                table: "DmarcReports",
                columns: new[] { "Organization", "ReportId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DmarcReportRows");

            migrationBuilder.DropTable(
                name: "DmarcReports");
        }
    }
}
