using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations
{
    /// <summary>
    /// Each delivery keeps what the failure table made of its last refusal (reason, status code; the
    /// server's words stay in LastError), and each delivery report its reason, status code and the
    /// recipient's domain, so that sender problems can be counted per issue and per domain. The same
    /// change as the PostgreSQL migration of this name.
    /// </summary>
    /// <remarks>
    /// Written by hand: `dotnet ef migrations add` for this context produced the PostgreSQL migration
    /// (as for InstancesShareASend). The snapshot was updated with it.
    /// </remarks>
    [DbContext(typeof(NewsletterDbContext))]
    [Migration("20261207162956_FailureReasons")]
    public partial class FailureReasons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "Reason", table: "DeliveryReports", type: "TEXT", maxLength: 32, nullable: true);
            migrationBuilder.AddColumn<string>(name: "RecipientDomain", table: "DeliveryReports", type: "TEXT", maxLength: 255, nullable: true);
            migrationBuilder.AddColumn<string>(name: "Status", table: "DeliveryReports", type: "TEXT", maxLength: 16, nullable: true);
            migrationBuilder.AddColumn<string>(name: "FailureReason", table: "Deliveries", type: "TEXT", maxLength: 32, nullable: true);
            migrationBuilder.AddColumn<string>(name: "FailureStatus", table: "Deliveries", type: "TEXT", maxLength: 16, nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "Reason", table: "DeliveryReports");
            migrationBuilder.DropColumn(name: "RecipientDomain", table: "DeliveryReports");
            migrationBuilder.DropColumn(name: "Status", table: "DeliveryReports");
            migrationBuilder.DropColumn(name: "FailureReason", table: "Deliveries");
            migrationBuilder.DropColumn(name: "FailureStatus", table: "Deliveries");
        }
    }
}
