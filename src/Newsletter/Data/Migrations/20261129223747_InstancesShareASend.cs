using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations
{
    /// <summary>
    /// Each sender lease reports its send rate (the cluster's rate is their sum), the shared rate
    /// limit's window (used on PostgreSQL only), and Data
    /// Protection's key ring moves into the database (editors' cookies open on any instance). The
    /// same change as the PostgreSQL migration of this name.
    /// </summary>
    /// <remarks>
    /// Written by hand: `dotnet ef migrations add` for this context produced an empty migration (it
    /// compared against the PostgreSQL model). The snapshot was updated with it.
    /// </remarks>
    [DbContext(typeof(NewsletterDbContext))]
    [Migration("20261129223747_InstancesShareASend")]
    public partial class InstancesShareASend : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "RatePerSecond",
                table: "SenderLeases",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SendRate",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    WindowStart = table.Column<long>(type: "INTEGER", nullable: false),
                    Used = table.Column<int>(type: "INTEGER", nullable: false),
                    LastGrant = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SendRate", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "SendRate");

            migrationBuilder.DropColumn(
                name: "RatePerSecond",
                table: "SenderLeases");
        }
    }
}
