using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KcCsp.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PlanScope : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Priorities_Code",
                table: "Priorities");

            migrationBuilder.DropIndex(
                name: "IX_Priorities_PlanId",
                table: "Priorities");

            migrationBuilder.DropIndex(
                name: "IX_Measures_Code",
                table: "Measures");

            migrationBuilder.AddColumn<int>(
                name: "PlanId",
                table: "Measures",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ShareOfMeasureId",
                table: "Measures",
                type: "INTEGER",
                nullable: true);

            // Measures existing before plans were scoped belong to the one plan there was.
            migrationBuilder.Sql("UPDATE \"Measures\" SET \"PlanId\" = (SELECT MIN(\"Id\") FROM \"Plans\") WHERE EXISTS (SELECT 1 FROM \"Plans\");");

            migrationBuilder.CreateTable(
                name: "PlanMemberships",
                columns: table => new
                {
                    PlanId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlanMemberships", x => new { x.PlanId, x.UserId });
                    table.ForeignKey(
                        name: "FK_PlanMemberships_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PlanMemberships_Plans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "Plans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Every user existing before plans were scoped belongs to the one plan there was.
            migrationBuilder.Sql("INSERT INTO \"PlanMemberships\" (\"PlanId\", \"UserId\") SELECT p.\"Id\", u.\"Id\" FROM \"AspNetUsers\" u CROSS JOIN (SELECT MIN(\"Id\") AS \"Id\" FROM \"Plans\") p WHERE p.\"Id\" IS NOT NULL;");

            migrationBuilder.CreateIndex(
                name: "IX_Priorities_PlanId_Code",
                table: "Priorities",
                columns: new[] { "PlanId", "Code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Measures_PlanId_Code",
                table: "Measures",
                columns: new[] { "PlanId", "Code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Measures_ShareOfMeasureId",
                table: "Measures",
                column: "ShareOfMeasureId");

            migrationBuilder.CreateIndex(
                name: "IX_PlanMemberships_UserId",
                table: "PlanMemberships",
                column: "UserId");

            migrationBuilder.AddForeignKey(
                name: "FK_Measures_Measures_ShareOfMeasureId",
                table: "Measures",
                column: "ShareOfMeasureId",
                principalTable: "Measures",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Measures_Plans_PlanId",
                table: "Measures",
                column: "PlanId",
                principalTable: "Plans",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Measures_Measures_ShareOfMeasureId",
                table: "Measures");

            migrationBuilder.DropForeignKey(
                name: "FK_Measures_Plans_PlanId",
                table: "Measures");

            migrationBuilder.DropTable(
                name: "PlanMemberships");

            migrationBuilder.DropIndex(
                name: "IX_Priorities_PlanId_Code",
                table: "Priorities");

            migrationBuilder.DropIndex(
                name: "IX_Measures_PlanId_Code",
                table: "Measures");

            migrationBuilder.DropIndex(
                name: "IX_Measures_ShareOfMeasureId",
                table: "Measures");

            migrationBuilder.DropColumn(
                name: "PlanId",
                table: "Measures");

            migrationBuilder.DropColumn(
                name: "ShareOfMeasureId",
                table: "Measures");

            migrationBuilder.CreateIndex(
                name: "IX_Priorities_Code",
                table: "Priorities",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Priorities_PlanId",
                table: "Priorities",
                column: "PlanId");

            migrationBuilder.CreateIndex(
                name: "IX_Measures_Code",
                table: "Measures",
                column: "Code",
                unique: true);
        }
    }
}
