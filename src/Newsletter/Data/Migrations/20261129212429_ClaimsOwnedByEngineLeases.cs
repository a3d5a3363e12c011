using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations
{
    /// <summary>
    /// The one-row sender lease becomes a row per engine (SenderLeases), each claimed delivery names
    /// the lease that claimed it (Deliveries.ClaimedBy), and an issue keeps why it last paused.
    /// Rows left Sending by the old lease have no owner and go back to the queue at the next start.
    /// </summary>
    public partial class ClaimsOwnedByEngineLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "SenderLease");

            migrationBuilder.CreateTable(
                name: "SenderLeases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    IssueId = table.Column<long>(type: "INTEGER", nullable: true),
                },
                constraints: table => table.PrimaryKey("PK_SenderLeases", x => x.Id));

            migrationBuilder.AddColumn<string>(
                name: "PauseReason",
                table: "Issues",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ClaimedBy",
                table: "Deliveries",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "SenderLeases");
            migrationBuilder.DropColumn(name: "PauseReason", table: "Issues");
            migrationBuilder.DropColumn(name: "ClaimedBy", table: "Deliveries");

            migrationBuilder.CreateTable(
                name: "SenderLease",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    IssueId = table.Column<long>(type: "INTEGER", nullable: true),
                },
                constraints: table => table.PrimaryKey("PK_SenderLease", x => x.Id));

            migrationBuilder.InsertData(
                table: "SenderLease",
                columns: ["Id", "ExpiresAt", "IssueId", "Owner"],
                columnTypes: ["INTEGER", "INTEGER", "INTEGER", "TEXT"],
                values: new object[] { 1, null, null, null });
        }
    }
}
