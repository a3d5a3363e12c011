using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Newsletter.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "comparisons",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    slug = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    question = table.Column<string>(type: "text", nullable: true),
                    summary = table.Column<string>(type: "text", nullable: true),
                    url = table.Column<string>(type: "text", nullable: false),
                    publishedat = table.Column<long>(type: "bigint", nullable: false),
                    createdat = table.Column<long>(type: "bigint", nullable: false),
                    updatedat = table.Column<long>(type: "bigint", nullable: false),
                    reviews = table.Column<string>(type: "jsonb", nullable: true),
                    tools = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_comparisons", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "issues",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    number = table.Column<int>(type: "integer", nullable: false),
                    slot = table.Column<string>(type: "text", nullable: false),
                    subject = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    createdat = table.Column<long>(type: "bigint", nullable: false),
                    startedat = table.Column<long>(type: "bigint", nullable: true),
                    completedat = table.Column<long>(type: "bigint", nullable: true),
                    resumeat = table.Column<long>(type: "bigint", nullable: true),
                    pausereason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    recipientcount = table.Column<int>(type: "integer", nullable: false),
                    webhtml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_issues", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "linkkeys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    secret = table.Column<byte[]>(type: "bytea", nullable: false),
                    createdat = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_linkkeys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "secrets",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    value = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_secrets", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "senderleases",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    expiresat = table.Column<long>(type: "bigint", nullable: false),
                    issueid = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_senderleases", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "subscribers",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    emailkey = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    createdat = table.Column<long>(type: "bigint", nullable: false),
                    consentat = table.Column<long>(type: "bigint", nullable: true),
                    consentip = table.Column<string>(type: "text", nullable: true),
                    consentsource = table.Column<string>(type: "text", nullable: true),
                    confirmedat = table.Column<long>(type: "bigint", nullable: true),
                    unsubscribedat = table.Column<long>(type: "bigint", nullable: true),
                    bouncedat = table.Column<long>(type: "bigint", nullable: true),
                    complainedat = table.Column<long>(type: "bigint", nullable: true),
                    stoppedreason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    softbouncecount = table.Column<int>(type: "integer", nullable: false),
                    lastsoftbounceissueid = table.Column<long>(type: "bigint", nullable: true),
                    confirmtokenhash = table.Column<string>(type: "text", nullable: true),
                    confirmtokenexpiresat = table.Column<long>(type: "bigint", nullable: true),
                    confirmationsentat = table.Column<long>(type: "bigint", nullable: true),
                    confirmationmaildueat = table.Column<long>(type: "bigint", nullable: true),
                    confirmationmailattempts = table.Column<int>(type: "integer", nullable: false),
                    signupattemptat = table.Column<long>(type: "bigint", nullable: true),
                    unsubscribetoken = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subscribers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "issueclicksalts",
                columns: table => new
                {
                    issueid = table.Column<long>(type: "bigint", nullable: false),
                    salt = table.Column<byte[]>(type: "bytea", nullable: true),
                    createdat = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_issueclicksalts", x => x.issueid);
                    table.ForeignKey(
                        name: "FK_issueclicksalts_issues_issueid",
                        column: x => x.issueid,
                        principalTable: "issues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "issuecomparisons",
                columns: table => new
                {
                    issueid = table.Column<long>(type: "bigint", nullable: false),
                    comparisonid = table.Column<long>(type: "bigint", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_issuecomparisons", x => new { x.issueid, x.comparisonid });
                    table.ForeignKey(
                        name: "FK_issuecomparisons_comparisons_comparisonid",
                        column: x => x.comparisonid,
                        principalTable: "comparisons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_issuecomparisons_issues_issueid",
                        column: x => x.issueid,
                        principalTable: "issues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "issuelinks",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    issueid = table.Column<long>(type: "bigint", nullable: false),
                    url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_issuelinks", x => x.id);
                    table.ForeignKey(
                        name: "FK_issuelinks_issues_issueid",
                        column: x => x.issueid,
                        principalTable: "issues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    issueid = table.Column<long>(type: "bigint", nullable: false),
                    subscriberid = table.Column<long>(type: "bigint", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    nextattemptat = table.Column<long>(type: "bigint", nullable: true),
                    claimedat = table.Column<long>(type: "bigint", nullable: true),
                    claimedby = table.Column<long>(type: "bigint", nullable: true),
                    sentat = table.Column<long>(type: "bigint", nullable: true),
                    lasterror = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "FK_deliveries_issues_issueid",
                        column: x => x.issueid,
                        principalTable: "issues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_deliveries_subscribers_subscriberid",
                        column: x => x.subscriberid,
                        principalTable: "subscribers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "deliveryreports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    issueid = table.Column<long>(type: "bigint", nullable: true),
                    subscriberid = table.Column<long>(type: "bigint", nullable: true),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    diagnostic = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    inboundkey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    receivedat = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deliveryreports", x => x.id);
                    table.ForeignKey(
                        name: "FK_deliveryreports_issues_issueid",
                        column: x => x.issueid,
                        principalTable: "issues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_deliveryreports_subscribers_subscriberid",
                        column: x => x.subscriberid,
                        principalTable: "subscribers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "votes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    comparisonid = table.Column<long>(type: "bigint", nullable: false),
                    tool = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    subscriberid = table.Column<long>(type: "bigint", nullable: true),
                    ship = table.Column<bool>(type: "boolean", nullable: false),
                    votedat = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_votes", x => x.id);
                    table.ForeignKey(
                        name: "FK_votes_comparisons_comparisonid",
                        column: x => x.comparisonid,
                        principalTable: "comparisons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_votes_subscribers_subscriberid",
                        column: x => x.subscriberid,
                        principalTable: "subscribers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "clicks",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    issueid = table.Column<long>(type: "bigint", nullable: false),
                    linkid = table.Column<long>(type: "bigint", nullable: false),
                    readerhash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    subscriberid = table.Column<long>(type: "bigint", nullable: true),
                    clickedat = table.Column<long>(type: "bigint", nullable: false),
                    scanner = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_clicks", x => x.id);
                    table.ForeignKey(
                        name: "FK_clicks_issuelinks_linkid",
                        column: x => x.linkid,
                        principalTable: "issuelinks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_clicks_issues_issueid",
                        column: x => x.issueid,
                        principalTable: "issues",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "FK_clicks_subscribers_subscriberid",
                        column: x => x.subscriberid,
                        principalTable: "subscribers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_clicks_issueid_readerhash_clickedat",
                table: "clicks",
                columns: new[] { "issueid", "readerhash", "clickedat" });

            migrationBuilder.CreateIndex(
                name: "IX_clicks_linkid_scanner",
                table: "clicks",
                columns: new[] { "linkid", "scanner" });

            migrationBuilder.CreateIndex(
                name: "IX_clicks_subscriberid",
                table: "clicks",
                column: "subscriberid");

            migrationBuilder.CreateIndex(
                name: "IX_comparisons_publishedat",
                table: "comparisons",
                column: "publishedat");

            migrationBuilder.CreateIndex(
                name: "IX_comparisons_slug",
                table: "comparisons",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_deliveries_issueid_status_id",
                table: "deliveries",
                columns: new[] { "issueid", "status", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_deliveries_issueid_subscriberid",
                table: "deliveries",
                columns: new[] { "issueid", "subscriberid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_deliveries_subscriberid",
                table: "deliveries",
                column: "subscriberid");

            migrationBuilder.CreateIndex(
                name: "IX_deliveryreports_inboundkey",
                table: "deliveryreports",
                column: "inboundkey");

            migrationBuilder.CreateIndex(
                name: "IX_deliveryreports_issueid_kind",
                table: "deliveryreports",
                columns: new[] { "issueid", "kind" });

            migrationBuilder.CreateIndex(
                name: "IX_deliveryreports_subscriberid",
                table: "deliveryreports",
                column: "subscriberid");

            migrationBuilder.CreateIndex(
                name: "IX_issuecomparisons_comparisonid",
                table: "issuecomparisons",
                column: "comparisonid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_issuelinks_issueid_url",
                table: "issuelinks",
                columns: new[] { "issueid", "url" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_issues_number",
                table: "issues",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_issues_slot",
                table: "issues",
                column: "slot",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_subscribers_confirmationmaildueat",
                table: "subscribers",
                column: "confirmationmaildueat");

            migrationBuilder.CreateIndex(
                name: "IX_subscribers_confirmtokenhash",
                table: "subscribers",
                column: "confirmtokenhash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_subscribers_emailkey",
                table: "subscribers",
                column: "emailkey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_subscribers_status",
                table: "subscribers",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "IX_subscribers_unsubscribetoken",
                table: "subscribers",
                column: "unsubscribetoken",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_votes_comparisonid_tool_subscriberid",
                table: "votes",
                columns: new[] { "comparisonid", "tool", "subscriberid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_votes_subscriberid",
                table: "votes",
                column: "subscriberid");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "clicks");

            migrationBuilder.DropTable(
                name: "deliveries");

            migrationBuilder.DropTable(
                name: "deliveryreports");

            migrationBuilder.DropTable(
                name: "issueclicksalts");

            migrationBuilder.DropTable(
                name: "issuecomparisons");

            migrationBuilder.DropTable(
                name: "linkkeys");

            migrationBuilder.DropTable(
                name: "secrets");

            migrationBuilder.DropTable(
                name: "senderleases");

            migrationBuilder.DropTable(
                name: "votes");

            migrationBuilder.DropTable(
                name: "issuelinks");

            migrationBuilder.DropTable(
                name: "comparisons");

            migrationBuilder.DropTable(
                name: "subscribers");

            migrationBuilder.DropTable(
                name: "issues");
        }
    }
}
