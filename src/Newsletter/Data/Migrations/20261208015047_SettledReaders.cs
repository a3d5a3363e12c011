using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations
{
    /// <inheritdoc />
    public partial class SettledReaders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SettledReaders",
                columns: table => new
                {
                    SubscriberId = table.Column<long>(type: "INTEGER", nullable: false),
                    UpToIssueId = table.Column<long>(type: "INTEGER", nullable: false),
                    ChoiceUpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    TopicsStamp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SettledReaders", x => x.SubscriberId);
                    table.ForeignKey(
                        name: "FK_SettledReaders_Subscribers_SubscriberId",
                        column: x => x.SubscriberId,
                        principalTable: "Subscribers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SettledReaders");
        }
    }
}
