using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MergedTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "mergedtokens",
                columns: table => new
                {
                    token = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    subscriberid = table.Column<long>(type: "bigint", nullable: false),
                    mergedat = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mergedtokens", x => x.token);
                    table.ForeignKey(
                        name: "FK_mergedtokens_subscribers_subscriberid",
                        column: x => x.subscriberid,
                        principalTable: "subscribers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_mergedtokens_subscriberid",
                table: "mergedtokens",
                column: "subscriberid");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mergedtokens");
        }
    }
}
